package dev.prune4j.prune.method;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The C(M,N) ways to zero N of M weights, and the one with the least joint removal loss. */
final class NmPatterns {
    private static final Map<Long, List<int[]>> CACHE = new ConcurrentHashMap<>();

    private NmPatterns() {}

    /** Every N-subset of {@code [0, M)}, in lexicographic order. */
    static List<int[]> all(int n, int m) {
        return CACHE.computeIfAbsent(((long) n << 32) | m, key -> {
            List<int[]> out = new ArrayList<>();
            collect(new int[n], 0, 0, m, out);
            return List.copyOf(out);
        });
    }

    private static void collect(int[] current, int depth, int start, int m, List<int[]> out) {
        if (depth == current.length) {
            out.add(current.clone());
            return;
        }
        for (int i = start; i <= m - (current.length - depth); i++) {
            current[depth] = i;
            collect(current, depth + 1, i + 1, m, out);
        }
    }

    /**
     * The pattern {@code P} minimising {@code ½ w_P G_PP⁻¹ w_Pᵀ} for one group (first in lexicographic order on ties).
     *
     * @param w      weights; the group is {@code w[wOff, wOff+M)}
     * @param g      [*, stride] inverse Hessian rows; the group's sub-block starts at row and column {@code gOff}
     */
    static int[] leastJointLoss(List<int[]> patterns, double[] w, int wOff, double[] g, int stride, int gOff) {
        int n = patterns.get(0).length;
        double[] a = new double[n * n];
        double[] z = new double[n];
        int[] best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (int[] p : patterns) {
            for (int x = 0; x < n; x++) {
                z[x] = w[wOff + p[x]];
                for (int y = 0; y < n; y++) a[x * n + y] = g[(gOff + p[x]) * stride + gOff + p[y]];
            }
            double loss;
            if (n == 1) {
                loss = z[0] * z[0] / a[0];
            } else {
                double[] rhs = z.clone();
                dev.prune4j.prune.linalg.Cholesky.solveInPlace(a, n, z);
                loss = 0;
                for (int x = 0; x < n; x++) loss += rhs[x] * z[x];
            }
            if (loss < bestLoss) {
                bestLoss = loss;
                best = p;
            }
        }
        return best;
    }
}
