package dev.prune4j.prune.structure.allocation;

/**
 * What a structured allocation aims at.
 *
 * @param ratio        fraction of the counted parameters ({@link ParameterCount}) to remove, in [0, 1)
 * @param attention    what attention removes as a unit, or {@link AttentionUnit#NONE}
 * @param ffn          whether FFN channels are removed
 * @param ffnMultiple  pruned FFN widths are rounded to a multiple of this (8 by default: SIMD- and GEMM-friendly widths)
 * @param protectFirst the first this many layers are left whole (LLM-Pruner leaves the first 4 of LLaMA-7B's 32)
 * @param protectLast  the last this many layers are left whole (LLM-Pruner: 2)
 */
public record AllocationOptions(double ratio, AttentionUnit attention, boolean ffn, int ffnMultiple, int protectFirst,
                                int protectLast) {
    public static final int DEFAULT_FFN_MULTIPLE = 8;

    public AllocationOptions {
        if (!(ratio >= 0 && ratio < 1)) throw new IllegalArgumentException("--ratio must be in [0, 1), got " + ratio);
        if (attention == AttentionUnit.NONE && !ffn) {
            throw new IllegalArgumentException("nothing to prune: attention units are none and FFN channels are off");
        }
        if (ffnMultiple < 1) throw new IllegalArgumentException("the FFN width multiple must be at least 1, got " + ffnMultiple);
        if (protectFirst < 0 || protectLast < 0) {
            throw new IllegalArgumentException("protected layer counts must not be negative, got " + protectFirst + " and " + protectLast);
        }
    }

    /** KV groups and FFN channels, widths a multiple of 8, no protected layers. */
    public static AllocationOptions of(double ratio) {
        return new AllocationOptions(ratio, AttentionUnit.KV_GROUPS, true, DEFAULT_FFN_MULTIPLE, 0, 0);
    }

    public AllocationOptions withAttention(AttentionUnit a) {
        return new AllocationOptions(ratio, a, ffn, ffnMultiple, protectFirst, protectLast);
    }

    public AllocationOptions withFfn(boolean on) {
        return new AllocationOptions(ratio, attention, on, ffnMultiple, protectFirst, protectLast);
    }

    public AllocationOptions withProtected(int first, int last) {
        return new AllocationOptions(ratio, attention, ffn, ffnMultiple, first, last);
    }

    public AllocationOptions withFfnMultiple(int m) {
        return new AllocationOptions(ratio, attention, ffn, m, protectFirst, protectLast);
    }

    /** Whether layer {@code l} of {@code layers} is protected. */
    public boolean isProtected(int l, int layers) {
        return l < protectFirst || l >= layers - protectLast;
    }
}
