package dev.prune4j.prune.structure.score;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where a set of scores came from, saved with them so that a reused score file can be checked against the model and
 * the run log can say how it was made.
 *
 * @param method       the scorer's name ({@code flap}, {@code llm-pruner}, ...)
 * @param options      the scorer's options as text (variant, reduction, ...), sorted by key
 * @param model        the model's name or path, or null when the caller did not say
 * @param modelSha256  the model file's sha256, or null
 * @param calibration  the calibration data, or null for scorers that read none
 */
public record ScoreSource(String method, Map<String, String> options, String model, String modelSha256,
                          Calibration calibration) {

    /**
     * @param text    the calibration text's name or path
     * @param samples number of sequences
     * @param seqlen  tokens per sequence
     * @param seed    the sampler's seed
     */
    public record Calibration(String text, int samples, int seqlen, long seed) {}

    public ScoreSource {
        options = options == null ? Map.of() : new TreeMap<>(options);
    }

    /** A source that names only the method and its options; the caller adds the model and calibration. */
    public static ScoreSource of(String method, Map<String, String> options) {
        return new ScoreSource(method, options, null, null, null);
    }

    public ScoreSource withModel(String name, String sha256) {
        return new ScoreSource(method, options, name, sha256, calibration);
    }

    public ScoreSource withCalibration(Calibration c) {
        return new ScoreSource(method, options, model, modelSha256, c);
    }
}
