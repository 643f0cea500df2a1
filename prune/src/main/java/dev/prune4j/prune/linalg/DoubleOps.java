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
}
