package dev.prune4j.prune.pipeline;

import dev.prune4j.model.forward.Transformer;

/** The residual streams of the calibration sequences, one array each, as they enter the first block. */
final class CalibrationStreams {
    private CalibrationStreams() {}

    /** @return one [length, embeddingLength] stream per sample */
    static float[][] embed(Transformer transformer, int[][] samples) {
        float[][] hidden = new float[samples.length][];
        for (int s = 0; s < samples.length; s++) hidden[s] = transformer.embed(samples[s]);
        return hidden;
    }

    static int longest(int[][] samples) {
        int max = 1;
        for (int[] s : samples) max = Math.max(max, s.length);
        return max;
    }
}
