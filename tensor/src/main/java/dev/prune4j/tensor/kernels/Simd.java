package dev.prune4j.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one place that picks the vector width of every fp32 kernel. {@code -Dprune4j.vectorBits=0} turns the Vector API
 * off (each kernel then runs its scalar reference, for debugging); 128/256/512 force a width; unset means the CPU's
 * preferred width.
 */
public final class Simd {
    /** Vector bits requested by {@code -Dprune4j.vectorBits}; -1 when unset. */
    private static final int REQUESTED_BITS = Integer.getInteger("prune4j.vectorBits", -1);

    /** The float species of all kernels (the preferred one unless a width was forced). */
    public static final VectorSpecies<Float> F = species(REQUESTED_BITS);

    /** False when {@code -Dprune4j.vectorBits=0} or the preferred species has a single lane (no SIMD unit). */
    public static final boolean ENABLED = REQUESTED_BITS != 0 && F.length() > 1;

    private Simd() {}

    /**
     * Sum of the lanes in a fixed order (lane 0 first). {@code reduceLanes(ADD)} leaves the order to the
     * implementation, and the interpreter's fallback and C2's intrinsic do differ, so the same dot product gave
     * different bits before and after JIT warm-up; results must not depend on when the JIT compiled a method.
     */
    public static float sum(FloatVector v) {
        float s = 0;
        for (int i = 0; i < v.length(); i++) s += v.lane(i);
        return s;
    }

    private static VectorSpecies<Float> species(int bits) {
        return switch (bits) {
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            case -1, 0 -> FloatVector.SPECIES_PREFERRED;
            default -> throw new IllegalArgumentException(
                    "-Dprune4j.vectorBits=" + bits + ": expected 0 (scalar), 128, 256 or 512");
        };
    }
}
