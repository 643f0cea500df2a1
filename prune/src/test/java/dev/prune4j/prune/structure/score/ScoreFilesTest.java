package dev.prune4j.prune.structure.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.prune.structure.StructureScores;
import dev.prune4j.prune.structure.ToyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreFilesTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsEveryScoreBitForBitWithItsSource() throws IOException {
        ModelConfig c = ToyModels.gqa();
        ModelWeights w = RandomWeights.create(c, 12);
        ScoreSet flap = new FlapScorer().score(c, w, ToyModels.samples(2, 6, c.vocabSize(), 8), ScoreProgress.NONE)
                .withSource(ScoreSource.of(FlapScorer.NAME, Map.of("bias", "true")).withModel("toy", "ab12")
                        .withCalibration(new ScoreSource.Calibration("sotu:calibration", 2, 6, 8)));
        Path file = dir.resolve("sub/flap-scores.json");
        ScoreFiles.save(file, flap);
        ScoreSet back = ScoreFiles.load(file, c);

        assertThat(back.source()).isEqualTo(flap.source());
        StructureScores a = flap.scores(), b = back.scores();
        assertThat(b.method()).isEqualTo("flap");
        assertThat(b.queryHeads()).isDeepEqualTo(a.queryHeads());
        assertThat(b.kvHeads()).isDeepEqualTo(a.kvHeads());
        assertThat(b.ffnChannels()).isDeepEqualTo(a.ffnChannels());
        assertThat(b.hiddenChannels()).isNull();
        assertThat(b.layers()).isNull();
        assertThat(back.sideData().keySet()).containsExactlyInAnyOrderElementsOf(flap.sideData().keySet());
        for (String k : flap.sideData().keySet()) assertThat(back.side(k)).as(k).isDeepEqualTo(flap.side(k));
        try (var files = Files.list(file.getParent())) {
            assertThat(files.toList()).as("no temporary file left").containsExactly(file);
        }

        ScoreSet depth = new BlockInfluenceScorer().score(c, w, ToyModels.samples(2, 6, c.vocabSize(), 8), ScoreProgress.NONE);
        ScoreSet l2 = new L2Scorer().score(c, w, null, ScoreProgress.NONE);
        for (ScoreSet s : new ScoreSet[] {depth, l2}) {
            Path f = dir.resolve(s.scores().method() + ".json");
            ScoreFiles.save(f, s);
            ScoreSet r = ScoreFiles.load(f, c);
            assertThat(r.scores().layers()).isEqualTo(s.scores().layers());
            assertThat(r.scores().hiddenChannels()).isEqualTo(s.scores().hiddenChannels());
            assertThat(r.scores().queryHeads()).isDeepEqualTo(s.scores().queryHeads());
        }
    }

    @Test
    void refusesScoresOfAnotherModelOrAnotherFormat() throws IOException {
        ModelConfig c = ToyModels.gqa();
        ScoreSet l2 = new L2Scorer().score(c, RandomWeights.create(c, 1), null, ScoreProgress.NONE);
        Path file = dir.resolve("l2.json");
        ScoreFiles.save(file, l2);
        ModelConfig wider = ToyModels.config(2, 16, new int[] {4, 4}, new int[] {2, 2}, new int[] {24, 32}, 4);
        assertThatThrownBy(() -> ScoreFiles.load(file, wider)).hasMessageContaining(file.toString())
                .hasMessageContaining("ffnChannels of layer 1 has 24 entries, the model has 32");

        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"format\":\"something-else\",\"version\":1}");
        assertThatThrownBy(() -> ScoreFiles.load(other)).isInstanceOf(IOException.class).hasMessageContaining("something-else");
        Files.writeString(other, "not json");
        assertThatThrownBy(() -> ScoreFiles.load(other)).isInstanceOf(IOException.class).hasMessageContaining(other.toString());
    }

    @Test
    void refusesToSaveNonFiniteScores() {
        StructureScores s = new StructureScores("x", new float[][] {{1, Float.NaN}}, null, null, null, null);
        assertThatThrownBy(() -> ScoreFiles.save(dir.resolve("bad.json"), new ScoreSet(s, ScoreSource.of("x", Map.of()))))
                .hasMessageContaining("queryHeads[0][1] is NaN");
    }

    @Test
    void registryNamesEveryMethodAndChecksOptions() {
        assertThat(Scorers.NAMES).containsExactly("l2", "wanda-sp", "flap", "llm-pruner", "depth", "random");
        for (String n : Scorers.NAMES) assertThat(Scorers.byName(n, Map.of()).name()).isEqualTo(n);
        assertThatThrownBy(() -> Scorers.byName("llm-pruner", Map.of("variant", "element3"))).hasMessageContaining("element3");
        assertThatThrownBy(() -> Scorers.byName("flap", Map.of("variant", "vector"))).hasMessageContaining("takes no options");
        assertThatThrownBy(() -> Scorers.byName("magnitude", Map.of())).hasMessageContaining("wanda-sp");
    }
}
