package dev.prune4j.prune.method;

import dev.prune4j.prune.calib.InputStatistics;
import dev.prune4j.prune.linalg.Cholesky;
import dev.prune4j.prune.linalg.DoubleOps;
import dev.prune4j.prune.linalg.NotPositiveDefiniteException;
import dev.prune4j.tensor.Parallel;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Hessian {@code H = 2·mean(x xᵀ)} of a linear's reconstruction loss, prepared as SparseGPT prepares it: dead
 * inputs ({@code H_jj = 0}) get {@code H_jj = 1} and zero weights (an absolute 1, as in the reference, so with dead
 * inputs the damping depends slightly on how H is normalised; prune4j's H is per token), the diagonal is damped by
 * {@code damping·mean(diag H)}, and the upper Cholesky factor {@code U} of {@code H⁻¹} is formed in fp64. When the
 * factorisation fails the damping is raised ×10, up to three times; after that the caller falls back.
 */
final class DampedHessian {
    static final int MAX_RETRIES = 3;

    final int n;
    final double[] h;        // [n, n] damped H
    final double[] upperInv; // [n, n] U with H⁻¹ = UᵀU
    final double damping;    // relative damping finally used
    final boolean[] dead;    // [n]

    private DampedHessian(int n, double[] h, double[] upperInv, double damping, boolean[] dead) {
        this.n = n;
        this.h = h;
        this.upperInv = upperInv;
        this.damping = damping;
        this.dead = dead;
    }

    // q/k/v share one input and so one factorisation, as do gate/up: keep the last few per statistics object
    private static final Map<InputStatistics, Map<Double, DampedHessian>> SHARED =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** As {@link #prepare}, reusing the factorisation already made for another linear with the same input. */
    static DampedHessian prepareShared(InputStatistics stats, double[] weight, int rows, double relativeDamping) {
        Map<Double, DampedHessian> byDamping = SHARED.computeIfAbsent(stats, s -> new ConcurrentHashMap<>());
        DampedHessian h = byDamping.get(relativeDamping);
        if (h == null) {
            h = prepare(stats, weight, rows, relativeDamping);
            byDamping.put(relativeDamping, h);
        } else {
            h.zeroDeadColumns(weight, rows);
        }
        return h;
    }

    private void zeroDeadColumns(double[] weight, int rows) {
        for (int j = 0; j < n; j++) {
            if (dead[j]) for (int r = 0; r < rows; r++) weight[r * n + j] = 0;
        }
    }

    /**
     * Prepares the Hessian and zeroes the weights of dead inputs.
     *
     * @param weight [rows, n] row-major, dead columns set to zero
     * @throws NotPositiveDefiniteException when even the largest damping leaves H indefinite
     */
    static DampedHessian prepare(InputStatistics stats, double[] weight, int rows, double relativeDamping) {
        int n = stats.columns();
        double[] moment = stats.secondMoment();
        double[] base = new double[n * n];
        for (int i = 0; i < base.length; i++) base[i] = 2 * moment[i];
        boolean[] dead = new boolean[n];
        double diagSum = 0;
        for (int j = 0; j < n; j++) {
            if (base[j * n + j] == 0) {
                dead[j] = true;
                base[j * n + j] = 1;
                for (int r = 0; r < rows; r++) weight[r * n + j] = 0;
            }
            diagSum += base[j * n + j];
        }
        double meanDiag = diagSum / n;
        double damping = relativeDamping;
        NotPositiveDefiniteException last = null;
        for (int attempt = 0; attempt <= MAX_RETRIES; attempt++) {
            double[] h = base.clone();
            double add = damping * meanDiag;
            for (int j = 0; j < n; j++) h[j * n + j] += add;
            try {
                return new DampedHessian(n, h, Cholesky.upperOfInverse(h, n), damping, dead);
            } catch (NotPositiveDefiniteException e) {
                last = e;
                damping = damping > 0 ? damping * 10 : 1e-6;
            }
        }
        throw last;
    }

    /** {@code H⁻¹ = UᵀU} in full (the row refit needs arbitrary sub-blocks of it). */
    double[] inverse() {
        double[] inv = new double[n * n];
        // inv[p,q] = Σ_{k ≤ min(p,q)} U[k,p]·U[k,q]; each thread owns whole rows p
        Parallel.forRange(n, 16, (from, to) -> {
            for (int p = from; p < to; p++) {
                for (int k = 0; k <= p; k++) {
                    double ukp = upperInv[k * n + p];
                    if (ukp != 0) DoubleOps.axpy(ukp, upperInv, k * n + k, inv, p * n + k, n - k);
                }
            }
        });
        return inv;
    }
}
