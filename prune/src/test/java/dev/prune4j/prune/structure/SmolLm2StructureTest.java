package dev.prune4j.prune.structure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.calib.CalibrationSampler;
import dev.prune4j.prune.structure.allocation.AllocationOptions;
import dev.prune4j.prune.structure.allocation.AllocationResult;
import dev.prune4j.prune.structure.allocation.AttentionUnit;
import dev.prune4j.prune.structure.allocation.DepthAllocation;
import dev.prune4j.prune.structure.allocation.FlapAllocation;
import dev.prune4j.prune.structure.allocation.UniformAllocation;
import dev.prune4j.prune.structure.score.BlockInfluenceScorer;
import dev.prune4j.prune.structure.score.FlapScorer;
import dev.prune4j.prune.structure.score.GroupReduction;
import dev.prune4j.prune.structure.score.ScoreFiles;
import dev.prune4j.prune.structure.score.ScoreProgress;
import dev.prune4j.prune.structure.score.ScoreSet;
import dev.prune4j.prune.structure.score.TaylorScorer;
import dev.prune4j.prune.structure.score.TaylorVariant;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scores and allocations on the fetched SmolLM2-135M with a few short SOTU calibration sequences. */
@Tag("assets")
class SmolLm2StructureTest {
    static LanguageModel model;
    static int[] text;

    @BeforeAll
    static void load() throws Exception {
        Path p = Assets.model(Assets.SMOLLM2_Q4_1), t = Assets.data("sotu/calibration.txt");
        Assumptions.assumeTrue(Files.isRegularFile(p) && Files.isRegularFile(t), "SmolLM2 or sotu not fetched (scripts/fetch-assets.sh)");
        model = LanguageModel.load(p);
        text = model.tokenizer().encode(Files.readString(t).substring(0, 40_000));
    }

    static int[][] samples(int n, int length) {
        return CalibrationSampler.sample(text, n, length, 0, model.tokenizer().bos());
    }

    static void assertPositiveFinite(float[][] a) {
        for (float[] row : a) for (float v : row) assertThat(v).isFinite().isGreaterThanOrEqualTo(0f);
    }

    @Test
    void flapScoresCutToSeveralTargetsFromOneCalibration(@TempDir Path dir) throws Exception {
        ModelConfig c = model.config();
        ScoreSet flap = new FlapScorer().score(c, model.weights(), samples(8, 128), ScoreProgress.NONE);
        assertPositiveFinite(flap.scores().ffnChannels());
        assertPositiveFinite(flap.scores().kvHeads());
        Path file = dir.resolve("flap.json");
        ScoreFiles.save(file, flap);
        ScoreSet loaded = ScoreFiles.load(file, c);
        System.out.printf("flap score file: %.1f KB%n", Files.size(file) / 1024.0);
        for (double ratio : new double[] {0.1, 0.2, 0.3}) {
            AllocationResult global = new FlapAllocation().allocate(c, loaded, AllocationOptions.of(ratio));
            AllocationResult uniform = new UniformAllocation().allocate(c, loaded,
                    AllocationOptions.of(ratio).withAttention(AttentionUnit.QUERY_HEADS));
            System.out.printf("ratio %.1f: flap %.4f, uniform %.4f (FFN width %d, %d query heads)%n", ratio,
                    global.achievedRatio(), uniform.achievedRatio(), uniform.plan().keptFfnChannels()[0].length,
                    uniform.plan().keptQueryHeads()[0].length);
            assertThat(global.missedBy()).isLessThanOrEqualTo(global.roundingUnit());
            assertThat(uniform.missedBy()).isLessThanOrEqualTo(uniform.roundingUnit() / 2.0);
        }
    }

    /** ShortGPT's observation on every model it studied: the first layer turns the stream most, middle ones least. */
    @Test
    void blockInfluenceIsLargestForTheFirstLayer() {
        ModelConfig c = model.config();
        float[] bi = new BlockInfluenceScorer().score(c, model.weights(), samples(4, 128), ScoreProgress.NONE).scores().layers();
        System.out.println("block influence: " + java.util.Arrays.toString(bi));
        for (int l = 1; l < bi.length; l++) assertThat(bi[0]).as("layer 0 vs %d", l).isGreaterThan(bi[l]);
        AllocationResult r = new DepthAllocation(null).allocate(c, new ScoreSet(
                new StructureScores("depth", null, null, null, null, bi), null), AllocationOptions.of(0.2));
        assertThat(r.plan().removedLayers()[0]).isFalse();
        assertThat(30 - r.plan().keptLayerCount()).isEqualTo(6);
    }

    @Test
    void taylorScoresOnTwoShortSequences() {
        ModelConfig c = model.config();
        long t0 = System.nanoTime();
        ScoreSet s = new TaylorScorer(TaylorVariant.ELEMENT2, GroupReduction.SUM).score(c, model.weights(), samples(2, 32), ScoreProgress.NONE);
        System.out.printf("llm-pruner element2 on 2 x 32 tokens: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertPositiveFinite(s.scores().ffnChannels());
        assertPositiveFinite(s.scores().queryHeads());
        assertThat(s.scores().ffnChannels()[5][17]).isPositive();
    }
}
