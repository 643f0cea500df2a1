package dev.prune4j.prune.calib;

import java.util.SplittableRandom;

/**
 * Calibration sequences cut from a tokenized text at seeded random offsets, as SparseGPT and Wanda cut C4 windows.
 * When the model wants a BOS token, each sequence is BOS followed by {@code seqlen − 1} text tokens.
 */
public final class CalibrationSampler {
    private CalibrationSampler() {}

    /**
     * @param tokens the whole tokenized calibration text
     * @param bos    BOS id to put first, or -1 for none
     * @return [samples][seqlen] token ids
     */
    public static int[][] sample(int[] tokens, int samples, int seqlen, long seed, int bos) {
        if (samples < 1) throw new IllegalArgumentException("--nsamples must be at least 1, got " + samples);
        if (seqlen < 2) throw new IllegalArgumentException("--seqlen must be at least 2, got " + seqlen);
        int textLength = bos >= 0 ? seqlen - 1 : seqlen;
        if (tokens.length < textLength) {
            throw new IllegalArgumentException("the calibration text has " + tokens.length + " tokens, fewer than one sequence of "
                    + seqlen);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int[][] out = new int[samples][seqlen];
        for (int s = 0; s < samples; s++) {
            int start = rnd.nextInt(tokens.length - textLength + 1);
            int at = 0;
            if (bos >= 0) out[s][at++] = bos;
            System.arraycopy(tokens, start, out[s], at, textLength);
        }
        return out;
    }
}
