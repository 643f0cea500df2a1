package dev.prune4j.train;

/**
 * SplitMix64: a small, fast generator whose whole state is one {@code long}, so a checkpoint can store it and a
 * resumed run draws exactly the numbers an uninterrupted run would. {@link #mix} derives independent seeds from
 * counters (dropout masks per block and module), which makes a recomputed block draw the same masks again.
 */
public final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** The whole state, to save in a checkpoint. */
    public long state() { return state; }

    /** Restores a saved state. */
    public void setState(long state) { this.state = state; }

    public long nextLong() {
        state += GOLDEN;
        return finish(state);
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
        return (int) (((nextLong() >>> 33) * bound) >>> 31);
    }

    /** Standard normal (Box-Muller with StrictMath, so it is the same on every JVM and JIT state). */
    public double nextGaussian() {
        double u1 = ((nextLong() >>> 11) + 1) * 0x1.0p-53, u2 = (nextLong() >>> 11) * 0x1.0p-53;
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    /** A seed derived from {@code seed} and a counter; different counters give unrelated streams. */
    public static long mix(long seed, long counter) {
        return finish(seed + GOLDEN * (counter + 1));
    }

    private static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
