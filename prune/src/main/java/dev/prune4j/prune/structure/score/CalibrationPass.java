package dev.prune4j.prune.structure.score;

import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.KvCache;
import dev.prune4j.model.forward.Transformer;

/**
 * One dense forward pass over the calibration sequences, sequence by sequence, with hooks that gather statistics at
 * every layer at once. Scores are computed on the dense model (not block by block on a progressively pruned one) so
 * that one calibration serves every target.
 */
final class CalibrationPass {
    private CalibrationPass() {}

    static void run(Transformer transformer, int[][] samples, ForwardHooks hooks, String phase, ScoreProgress progress) {
        if (samples == null || samples.length == 0) {
            throw new IllegalArgumentException(phase + " needs calibration sequences, got none");
        }
        int longest = 1;
        for (int[] s : samples) longest = Math.max(longest, s.length);
        KvCache cache = transformer.newCache(longest);
        for (int s = 0; s < samples.length; s++) {
            cache.clear();
            transformer.forward(samples[s], cache, hooks);
            progress.step(phase, s + 1, samples.length);
        }
    }
}
