package dev.prune4j.prune.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.prune4j.prune.calib.InputStatistics;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PruningMethodsTest {
    static List<SparsityTarget> targets() {
        return List.of(new SparsityTarget.Unstructured(0.5), new SparsityTarget.Unstructured(0.7),
                new SparsityTarget.NofM(2, 4), new SparsityTarget.NofM(4, 8));
    }

    static List<Supplier<LinearPruner>> pruners() {
        return List.of(MagnitudePruner::new, WandaPruner::new, SparseGptPruner::new, AptPruner::new,
                () -> new AptPruner(new AptOptions(32, 0.01, AptOptions.PatternRule.SINGLE, AptOptions.Compensation.BLOCK)));
    }

    private static double[] errors(LayerFixture f, SparsityTarget target) {
        InputStatistics stats = f.stats();
        return pruners().stream().mapToDouble(p -> {
            float[] w = f.copy();
            p.get().prune(w, f.rows, f.columns, stats, target);
            return f.error(w);
        }).toArray();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void reconstructionMethodsBeatWandaWhichBeatsMagnitude(SparsityTarget target) {
        for (long seed = 1; seed <= 3; seed++) {
            LayerFixture f = new LayerFixture(24, 160, 512, seed);
            double[] e = errors(f, target); // magnitude, wanda, sparsegpt, apt, apt(block, single)
            assertThat(e[1]).as("wanda ≤ magnitude, seed %d", seed).isLessThanOrEqualTo(e[0]);
            assertThat(e[2]).as("sparsegpt ≤ wanda, seed %d", seed).isLessThanOrEqualTo(e[1]);
            assertThat(e[3]).as("apt ≤ wanda, seed %d", seed).isLessThanOrEqualTo(e[1]);
            assertThat(e[4]).as("apt(block) ≤ wanda, seed %d", seed).isLessThanOrEqualTo(e[1]);
            // the row-level joint compensation is at least as good as SparseGPT's one-sided updates
            assertThat(e[3]).as("apt ≤ sparsegpt, seed %d", seed).isLessThanOrEqualTo(e[2] * 1.0001);
        }
    }

    @ParameterizedTest
    @MethodSource("targets")
    void sparsityIsExactAndPatternsHoldInEveryGroup(SparsityTarget target) {
        LayerFixture f = new LayerFixture(24, 160, 256, 7);
        InputStatistics stats = f.stats();
        for (Supplier<LinearPruner> p : pruners()) {
            float[] w = f.copy();
            PruneResult result = p.get().prune(w, f.rows, f.columns, stats, target);
            long zeros = 0;
            for (float v : w) {
                if (v == 0f) {
                    zeros++;
                    assertThat(Float.floatToRawIntBits(v)).as("zeros are +0.0").isZero();
                }
            }
            assertThat(result.zeros()).isEqualTo(zeros);
            if (target instanceof SparsityTarget.NofM nm) {
                for (int r = 0; r < f.rows; r++) {
                    for (int g = 0; g < f.columns; g += nm.m()) {
                        int z = 0;
                        for (int k = 0; k < nm.m(); k++) if (w[r * f.columns + g + k] == 0f) z++;
                        assertThat(z).as("%s row %d group %d", p.get().name(), r, g).isEqualTo(nm.n());
                    }
                }
            } else {
                assertThat(zeros).as(p.get().name()).isEqualTo(Math.round(target.fraction() * w.length));
            }
        }
    }

    @Test
    void rowCompensationIsTheLeastSquaresOptimumForAFixedMask() {
        LayerFixture f = new LayerFixture(6, 40, 300, 11);
        Random rnd = new Random(5);
        boolean[] mask = new boolean[f.rows * f.columns];
        for (int r = 0; r < f.rows; r++) {
            // rows with few and with many pruned weights exercise both the |P| and the |F| systems
            double p = r % 2 == 0 ? 0.3 : 0.8;
            for (int j = 0; j < f.columns; j++) mask[r * f.columns + j] = rnd.nextDouble() < p;
        }
        float[] w = f.copy();
        AptPruner.compensate(w, f.rows, f.columns, f.stats(), mask, 0);
        double[] expected = LeastSquares.maskedOptimum(f.weight, f.inputs, f.rows, f.columns, f.tokens, mask);
        for (int i = 0; i < w.length; i++) {
            assertThat((double) w[i]).isCloseTo(expected[i], within(2e-4 * (1 + Math.abs(expected[i]))));
        }
    }

    @Test
    void blockCompensationWithinOneBlockIsTheLeastSquaresOptimum() {
        LayerFixture f = new LayerFixture(8, 64, 300, 12);
        float[] w = f.copy();
        new AptPruner(new AptOptions(64, 0, AptOptions.PatternRule.JOINT, AptOptions.Compensation.BLOCK))
                .prune(w, f.rows, f.columns, f.stats(), new SparsityTarget.NofM(2, 4));
        boolean[] mask = new boolean[w.length];
        for (int i = 0; i < w.length; i++) mask[i] = w[i] == 0f;
        double[] expected = LeastSquares.maskedOptimum(f.weight, f.inputs, f.rows, f.columns, f.tokens, mask);
        for (int i = 0; i < w.length; i++) {
            assertThat((double) w[i]).isCloseTo(expected[i], within(2e-4 * (1 + Math.abs(expected[i]))));
        }
    }

    @Test
    void autoCompensationIsRowOnSmallLayersAndBlockBeyondTheBudget() {
        LayerFixture f = new LayerFixture(8, 96, 300, 15);
        InputStatistics stats = f.stats();
        float[] auto = f.copy(), row = f.copy(), block = f.copy();
        SparsityTarget half = new SparsityTarget.Unstructured(0.5);
        new AptPruner(new AptOptions(32, 0.01, AptOptions.PatternRule.JOINT, AptOptions.Compensation.AUTO)).prune(auto, f.rows, f.columns, stats, half);
        new AptPruner(new AptOptions(32, 0.01, AptOptions.PatternRule.JOINT, AptOptions.Compensation.ROW)).prune(row, f.rows, f.columns, stats, half);
        new AptPruner(new AptOptions(32, 0.01, AptOptions.PatternRule.JOINT, AptOptions.Compensation.BLOCK)).prune(block, f.rows, f.columns, stats, half);
        assertThat(auto).containsExactly(row);
        assertThat(f.error(row)).isLessThan(f.error(block));

        AptOptions a = AptOptions.defaults();
        assertThat(a.compensation()).isEqualTo(AptOptions.Compensation.AUTO);
        // SmolLM2-135M's widest solve, down_proj (576 × 1536) at 70%, fits; a 7B q_proj (4096 × 4096) at 50% does not
        assertThat(a.rowCompensation(576, 1536, 0.7)).isTrue();
        assertThat(a.rowCompensation(4096, 4096, 0.5)).isFalse();
        assertThat(new AptOptions(128, 0.01, AptOptions.PatternRule.JOINT, AptOptions.Compensation.ROW).rowCompensation(4096, 4096, 0.5)).isTrue();
        assertThat(new AptOptions(128, 0.01, AptOptions.PatternRule.JOINT, AptOptions.Compensation.BLOCK).rowCompensation(8, 8, 0.5)).isFalse();
    }

    @Test
    void jointPatternChoiceNeverLosesToSingleRemovalScores() {
        LayerFixture f = new LayerFixture(16, 64, 300, 13);
        InputStatistics stats = f.stats();
        float[] joint = f.copy();
        float[] single = f.copy();
        double lj = new AptPruner(new AptOptions(64, 0.01, AptOptions.PatternRule.JOINT, AptOptions.Compensation.BLOCK))
                .prune(joint, f.rows, f.columns, stats, new SparsityTarget.NofM(2, 4)).solverLoss();
        double ls = new AptPruner(new AptOptions(64, 0.01, AptOptions.PatternRule.SINGLE, AptOptions.Compensation.BLOCK))
                .prune(single, f.rows, f.columns, stats, new SparsityTarget.NofM(2, 4)).solverLoss();
        // the joint rule minimises each group's exact loss; per group it can only win, and on correlated inputs it does
        assertThat(f.error(joint)).isLessThan(f.error(single));
        assertThat(lj).isLessThan(ls);
    }

    @Test
    void indefiniteHessianFallsBackToMagnitudeWithAReason() {
        double[] moment = {1, 100, 100, 1};
        InputStatistics stats = InputStatistics.ofSecondMoment(moment, 2, 10);
        float[] w = {3f, -1f, 0.5f, 2f};
        PruneResult r = new SparseGptPruner().prune(w, 2, 2, stats, new SparsityTarget.Unstructured(0.5));
        assertThat(r.fallback()).contains("not positive definite");
        assertThat(w).containsExactly(3f, 0f, 0f, 2f);
        float[] w2 = {3f, -1f, 0.5f, 2f};
        assertThat(new AptPruner().prune(w2, 2, 2, stats, new SparsityTarget.Unstructured(0.5)).fallback()).isNotNull();
    }

    @Test
    void deadInputsArePrunedFirstAndCostNothing() {
        LayerFixture f = new LayerFixture(8, 32, 200, 14);
        for (int t = 0; t < f.tokens; t++) f.inputs[t * f.columns + 5] = 0;
        for (Supplier<LinearPruner> p : List.<Supplier<LinearPruner>>of(SparseGptPruner::new, AptPruner::new)) {
            float[] w = f.copy();
            p.get().prune(w, f.rows, f.columns, f.stats(), new SparsityTarget.Unstructured(0.25));
            for (int r = 0; r < f.rows; r++) assertThat(w[r * f.columns + 5]).isZero();
        }
    }
}
