package dev.prune4j.prune.method;

/**
 * The choices the APT paper leaves open, made explicit (METHODS.md §3.3, §3.6).
 *
 * @param blockSize    columns frozen together in the left-to-right sweep
 * @param damping      relative diagonal damping of H
 * @param patternRule  how an N:M group's zeros are chosen
 * @param compensation how far the jointly optimal compensation reaches
 */
public record AptOptions(int blockSize, double damping, PatternRule patternRule, Compensation compensation) {
    public AptOptions {
        if (blockSize < 1) throw new IllegalArgumentException("APT block size must be positive, got " + blockSize);
        if (damping < 0) throw new IllegalArgumentException("damping must be non-negative, got " + damping);
    }

    /**
     * What {@link Compensation#AUTO} may spend on a linear's row re-solves: about {@code rows·q³/3} flops for q pruned
     * weights per row. 2.5e11 is about half a minute on 2 cores; it covers every linear of SmolLM2-135M up to 70%
     * (down_proj at 70%: 2.4e11) and none of a 7B model's (q_proj at 50%: 1.2e13).
     */
    public static final double AUTO_ROW_FLOPS = 2.5e11;

    /** The defaults measured best on SmolLM2-135M (docs/results.md, "APT design choices"). */
    public static AptOptions defaults() {
        return new AptOptions(128, 0.01, PatternRule.JOINT, Compensation.AUTO);
    }

    /**
     * Whether a {@code rows × columns} linear losing {@code prunedFraction} of every row gets the full-row re-solve.
     */
    public boolean rowCompensation(int rows, int columns, double prunedFraction) {
        return switch (compensation) {
            case ROW -> true;
            case BLOCK -> false;
            case AUTO -> {
                double q = prunedFraction * columns;
                yield rows * q * q * q / 3 <= AUTO_ROW_FLOPS;
            }
        };
    }

    /** Choosing the N of every M zeros. */
    public enum PatternRule {
        /** The N smallest single-removal (OBS) losses {@code w²/[H⁻¹]_jj}: "Solution S". */
        SINGLE,
        /** The pattern with the least joint loss {@code ½ w_P [H⁻¹]_PP⁻¹ w_Pᵀ} over all C(M,N): "Solution M". */
        JOINT
    }

    /** Which free weights absorb a removal. */
    public enum Compensation {
        /** Block by block: the block's removals jointly update every free weight of the block and to its right. */
        BLOCK,
        /**
         * The block sweep chooses the mask; then every row is re-solved with its whole mask at once, so every unpruned
         * weight of the row (left of the block too) takes the jointly optimal compensation: the least-squares optimum
         * for that mask.
         */
        ROW,
        /**
         * ROW where its solves fit {@link #AUTO_ROW_FLOPS}, else BLOCK. ROW lowered every linear's error by 15-18% and
         * perplexity by 7% at 50% on SmolLM2-135M, but its cost grows with the cube of the row's pruned count.
         */
        AUTO
    }
}
