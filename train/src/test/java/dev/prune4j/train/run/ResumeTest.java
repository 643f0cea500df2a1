package dev.prune4j.train.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prune4j.model.LanguageModel;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.data.BatchSampler;
import dev.prune4j.train.data.TextWindows;
import dev.prune4j.train.lora.Lora;
import dev.prune4j.train.lora.LoraAdapter;
import dev.prune4j.train.lora.LoraConfig;
import dev.prune4j.train.nn.Decoder;
import dev.prune4j.train.nn.TinyModels;
import dev.prune4j.train.optim.ParamGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stopped and resumed run continues exactly where it left off: the same losses as one uninterrupted run. */
class ResumeTest {
    static final String TEXT = """
            Once upon a time there was a small cat called Pip. Pip lived in a blue house next to a big park. Every morning \
            Pip went to the park to look at the birds. One day a bird sat on the fence and sang a song. Pip sat very still \
            and listened. The bird was happy that Pip did not run. They became friends, and the bird came back every day. \
            When it rained, Pip stayed inside and looked out of the window. The bird sat under a leaf and waited for the sun. \
            Then they played again in the green grass until the evening came and the sky turned red.""";
    private static LanguageModel model;

    @BeforeAll
    static void load() {
        model = TinyModels.stories260K().orElse(null);
    }

    private record Run(Trainer trainer, TrainingLoop loop, List<LoraAdapter> adapters) {}

    /** A LoRA run with dropout, batches of 2 and accumulation 2, so RNG, data position and moments all matter. */
    private static Run newRun(Path checkpoint, Map<String, Object> settings) {
        Decoder d = Decoder.of(model.config(), model.weights());
        List<LoraAdapter> adapters = Lora.attach(d, new LoraConfig(4, 8, 0.1f, List.of(LoraConfig.ALL_LINEAR), null), 1);
        int bos = model.tokenizer().addBos() ? model.tokenizer().bos() : -1;
        BatchSampler data = new BatchSampler(TextWindows.of(model.tokenizer().encode(TEXT), 24, bos), 2, 3);
        Trainer t = new Trainer(d, Objective.languageModel(), List.of(ParamGroup.of("lora", Lora.parameters(adapters), 5e-3, 0.01)),
                List.of(), data, new Trainer.Config(6, 2, 0.1, 1.0, 2, true, 42));
        return new Run(t, new TrainingLoop(t, checkpoint, 0, settings), adapters);
    }

    @Test
    void sixStepsEqualThreePlusResumedThree(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(model != null, "stories260K not found under ../shared/models");
        Map<String, Object> settings = Map.of("seed", 42, "rank", 4);
        Run straight = newRun(dir.resolve("straight"), settings);
        straight.loop().run(0, r -> {});

        Run first = newRun(dir.resolve("split"), settings);
        first.loop().run(3, r -> {});
        assertThat(Files.exists(dir.resolve("split").resolve(Checkpoint.STATE))).isTrue();
        Run resumed = newRun(dir.resolve("split"), settings);
        resumed.loop().resume();
        assertThat(resumed.trainer().completedSteps()).isEqualTo(3);
        resumed.loop().run(0, r -> {});

        List<Double> a = straight.loop().history().stream().map(Trainer.StepResult::loss).toList();
        List<Double> b = resumed.loop().history().stream().map(Trainer.StepResult::loss).toList();
        assertThat(b).hasSize(6).containsExactlyElementsOf(a);
        assertThat(a.get(5)).isNotEqualTo(a.get(0));
        List<Tensor> pa = Lora.parameters(straight.adapters()), pb = Lora.parameters(resumed.adapters());
        for (int i = 0; i < pa.size(); i++) assertThat(pb.get(i).data()).as(pa.get(i).name()).containsExactly(pa.get(i).data());

        Path png = dir.resolve("loss.png");
        LossCurve.writePng(png, "stories260K LoRA", resumed.loop().history());
        byte[] head = Files.readAllBytes(png);
        assertThat(head).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }

    @Test
    void resumeRefusesDifferentSettings(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(model != null, "stories260K not found under ../shared/models");
        Run first = newRun(dir, Map.of("seed", 42));
        first.loop().run(1, r -> {});
        Run other = newRun(dir, Map.of("seed", 43));
        assertThatThrownBy(() -> other.loop().resume()).hasMessageContaining("\"seed\" was 42 and is now 43");
    }
}
