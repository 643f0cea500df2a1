package dev.prune4j.model.tokenizer;

/** One step of a pre-tokenizer: cuts each piece of the text into smaller pieces, never across a piece boundary. */
interface SplitStage {
    /**
     * @param cps    the whole text as code points
     * @param pieces lengths (in code points) of consecutive pieces covering {@code cps}
     * @return lengths of the finer pieces, again covering {@code cps}
     */
    IntList split(int[] cps, IntList pieces);
}
