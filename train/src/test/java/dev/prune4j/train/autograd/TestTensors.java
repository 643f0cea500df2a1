package dev.prune4j.train.autograd;

import dev.prune4j.train.Rng;

/** Seeded random tensors for op tests. */
public final class TestTensors {
    private TestTensors() {}

    /** A parameter with N(0, std²) values. */
    public static Tensor param(String name, Rng rng, float std, int... shape) {
        return Tensor.parameter(name, gaussian(rng, std, size(shape)), shape);
    }

    public static float[] gaussian(Rng rng, float std, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (std * rng.nextGaussian());
        return a;
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
