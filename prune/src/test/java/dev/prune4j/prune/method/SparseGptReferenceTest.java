package dev.prune4j.prune.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.prune.calib.InputStatistics;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our SparseGPT against the IST-DASLab reference run on fixed layers (fixtures made by
 * {@code tools/reference/sparsegpt_fixture.py}; only the numbers are committed): same masks, same weights to float32
 * precision, same reconstruction error. The reference normalises H by the number of {@code add_batch} calls, not
 * by tokens; that scale matters (slightly) once there is a dead input, because the dead column's placeholder
 * {@code H_jj = 1} is absolute and enters the mean diagonal that sets the damping. The test therefore hands our
 * pruner the reference's scale. Tolerances are those of the reference's own float32 run against its float64 run.
 */
class SparseGptReferenceTest {
    static List<Arguments> cases() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (String file : List.of("linear-48x96.json", "linear-8x320.json")) {
            JsonNode root = load(file);
            for (JsonNode c : root.get("cases")) out.add(Arguments.of(file, c.get("name").asText()));
        }
        return out;
    }

    private static JsonNode load(String file) throws Exception {
        try (InputStream in = SparseGptReferenceTest.class.getResourceAsStream("/reference/sparsegpt/" + file)) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static float[] floats(JsonNode array) {
        float[] f = new float[array.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) array.get(i).asDouble();
        return f;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesTheReference(String file, String caseName) throws Exception {
        JsonNode root = load(file);
        int rows = root.get("rows").asInt(), cols = root.get("columns").asInt(), tokens = root.get("tokens").asInt();
        float[] inputs = floats(root.get("inputs"));
        InputStatistics stats = InputStatistics.full(cols);
        int batch = tokens / root.at("/calibration/batches").asInt();
        for (int t = 0; t < tokens; t += batch) {
            float[] part = new float[batch * cols];
            System.arraycopy(inputs, t * cols, part, 0, part.length);
            stats.add(part, batch);
        }
        // the reference's H is 2/batches·ΣXᵀX; InputStatistics keeps the per-token mean: rescale to the reference
        double[] moment = stats.secondMoment().clone();
        double toReference = (double) tokens / root.at("/calibration/batches").asInt();
        for (int i = 0; i < moment.length; i++) moment[i] *= toReference;
        stats = InputStatistics.ofSecondMoment(moment, cols, tokens);
        JsonNode c = null;
        for (JsonNode n : root.get("cases")) if (n.get("name").asText().equals(caseName)) c = n;
        JsonNode s = c.get("settings");
        SparsityTarget target = s.get("prunen").asInt() > 0 ? new SparsityTarget.NofM(s.get("prunen").asInt(), s.get("prunem").asInt())
                : new SparsityTarget.Unstructured(s.get("sparsity").asDouble());

        float[] w = floats(root.get("weight"));
        new SparseGptPruner(s.get("blocksize").asInt(), s.get("percdamp").asDouble(), true).prune(w, rows, cols, stats, target);

        float[] expected = floats(c.get("prunedWeight"));
        int maskDifferences = 0;
        for (int r = 0; r < rows; r++) {
            String mask = c.get("mask").get(r).asText();
            for (int j = 0; j < cols; j++) {
                if ((mask.charAt(j) == '1') != (w[r * cols + j] == 0f)) maskDifferences++;
            }
        }
        assertThat(maskDifferences).as("mask entries that differ from the reference").isZero();
        for (int i = 0; i < w.length; i++) {
            assertThat(w[i]).as("weight %d", i).isCloseTo(expected[i], within(1e-4f * (1 + Math.abs(expected[i]))));
        }
        double error = 0;
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < tokens; t++) {
                double d = 0;
                for (int j = 0; j < cols; j++) d += (root.get("weight").get(r * cols + j).asDouble() - w[r * cols + j]) * inputs[t * cols + j];
                error += d * d;
            }
        }
        double refError = c.get("reconstructionError").asDouble();
        assertThat(error).isCloseTo(refError, within(1e-5 * refError));

        if (target instanceof SparsityTarget.Unstructured u) {
            // the default rule zeroes exactly round(S·rows·cols); the reference's `<=` adds one weight per block
            float[] exact = floats(root.get("weight"));
            long zeros = new SparseGptPruner(s.get("blocksize").asInt(), s.get("percdamp").asDouble(), false)
                    .prune(exact, rows, cols, stats, target).zeros();
            assertThat(zeros).isEqualTo(Math.round(u.fraction() * rows * cols));
            long referenceRule = 0; // per block: floor(S·rows·width) + 1, the `<=` of the k-th smallest score
            for (int b = 0, bs = s.get("blocksize").asInt(); b < cols; b += bs) {
                referenceRule += (long) (u.fraction() * rows * Math.min(bs, cols - b)) + 1;
            }
            assertThat(c.get("zeroed").asLong()).isEqualTo(referenceRule);
        }
    }
}
