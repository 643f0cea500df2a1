package dev.prune4j.prune.structure.score;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.forward.CapturePoint;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.ModelWeights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every token's input at one capture point of every layer, kept whole, for brute-force reference scores. */
final class CapturedInputs {
    private final Map<String, List<float[]>> rows = new HashMap<>();

    static CapturedInputs of(ModelConfig c, ModelWeights w, int[][] samples) {
        CapturedInputs captured = new CapturedInputs();
        Transformer t = new Transformer(c, w);
        ForwardHooks hooks = new ForwardHooks() {
            @Override
            public void linearInput(int layer, CapturePoint point, float[] x, int n, int cols) {
                List<float[]> list = captured.rows.computeIfAbsent(layer + "/" + point, k -> new ArrayList<>());
                for (int r = 0; r < n; r++) list.add(java.util.Arrays.copyOfRange(x, r * cols, (r + 1) * cols));
            }
        };
        for (int[] s : samples) t.forward(s, t.newCache(s.length), hooks);
        return captured;
    }

    /** @return [token][column] */
    List<float[]> at(int layer, CapturePoint point) {
        return rows.get(layer + "/" + point);
    }

    /** Two-pass mean and unbiased variance of column {@code j}: {mean, variance}. */
    double[] meanAndVariance(int layer, CapturePoint point, int j) {
        List<float[]> x = at(layer, point);
        double mean = 0;
        for (float[] r : x) mean += r[j];
        mean /= x.size();
        double ss = 0;
        for (float[] r : x) ss += (r[j] - mean) * (r[j] - mean);
        return new double[] {mean, ss / (x.size() - 1)};
    }

    /** sqrt(mean over tokens of x_j²). */
    double rms(int layer, CapturePoint point, int j) {
        List<float[]> x = at(layer, point);
        double ss = 0;
        for (float[] r : x) ss += (double) r[j] * r[j];
        return Math.sqrt(ss / x.size());
    }
}
