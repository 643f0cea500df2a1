package dev.prune4j.prune.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vectorised fp64 dot products and axpys: the inner loops of the Cholesky, inverse and OBS updates. */
public final class DoubleOps {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private DoubleOps() {}

    /** {@code Σ a[aOff+i]·b[bOff+i]} over {@code n} elements. */
    public static double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        int i = 0;
        double sum = 0;
        if (n >= S.length()) {
            DoubleVector acc = DoubleVector.zero(S);
            for (int upper = S.loopBound(n); i < upper; i += S.length()) {
                acc = DoubleVector.fromArray(S, a, aOff + i).fma(DoubleVector.fromArray(S, b, bOff + i), acc);
            }
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return sum;
    }

    /** {@code y[yOff+i] += alpha·x[xOff+i]} over {@code n} elements. */
    public static void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
        int i = 0;
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        for (int upper = S.loopBound(n); i < upper; i += S.length()) {
            DoubleVector.fromArray(S, x, xOff + i).fma(va, DoubleVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    /**
     * {@code out[k] = Σ_i x[xOff+i]·rows[rowsOff + k·stride + i]} for {@code k < count ≤ 4} over {@code n} elements:
     * up to four dot products with one shared vector, which is read once.
     */
    public static void dots(double[] x, int xOff, double[] rows, int rowsOff, int stride, int count, int n,
                            double[] out) {
        if (count < 4) {
            for (int k = 0; k < count; k++) out[k] = dot(x, xOff, rows, rowsOff + k * stride, n);
            return;
        }
        DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int r0 = rowsOff, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += S.length()) {
            DoubleVector v = DoubleVector.fromArray(S, x, xOff + i);
            a0 = v.fma(DoubleVector.fromArray(S, rows, r0 + i), a0);
            a1 = v.fma(DoubleVector.fromArray(S, rows, r1 + i), a1);
            a2 = v.fma(DoubleVector.fromArray(S, rows, r2 + i), a2);
            a3 = v.fma(DoubleVector.fromArray(S, rows, r3 + i), a3);
        }
        double s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        double s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double v = x[xOff + i];
            s0 += v * rows[r0 + i];
            s1 += v * rows[r1 + i];
            s2 += v * rows[r2 + i];
            s3 += v * rows[r3 + i];
        }
        out[0] = s0;
        out[1] = s1;
        out[2] = s2;
        out[3] = s3;
    }
}
