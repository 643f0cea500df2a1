package dev.prune4j.prune.structure.score;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.StructureScores;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scores of one scoring run with what they came from and the per-channel side data some methods need later
 * (FLAP's input means for bias compensation, per-column scores for FLAP's standardisation). This is what score
 * files hold.
 *
 * @param scores   the group scores
 * @param source   method, options, model and calibration
 * @param sideData named per-layer arrays, [layer][channel]; the keys are the constants of this class
 */
public record ScoreSet(StructureScores scores, ScoreSource source, Map<String, float[][]> sideData) {
    /**
     * [layer][qDim]: a score per input column of o_proj such that a query head's score is the sum over its
     * {@code headDim} columns. FLAP's global threshold standardises these per layer before averaging them per head.
     */
    public static final String ATTN_OUTPUT_COLUMNS = "attn_output.column_scores";
    /** [layer][qDim]: the calibration mean of every input column of o_proj (FLAP's bias compensation). */
    public static final String ATTN_OUTPUT_MEANS = "attn_output.input_means";
    /** [layer][feedForwardLength]: the calibration mean of every input column of down_proj (FLAP's bias compensation). */
    public static final String FFN_DOWN_MEANS = "ffn_down.input_means";

    public ScoreSet {
        sideData = sideData == null ? Map.of() : new TreeMap<>(sideData);
    }

    public ScoreSet(StructureScores scores, ScoreSource source) {
        this(scores, source, Map.of());
    }

    /** The side data under {@code key}, or null when this method keeps none. */
    public float[][] side(String key) {
        return sideData.get(key);
    }

    public ScoreSet withSource(ScoreSource s) {
        return new ScoreSet(scores, s, sideData);
    }

    /**
     * Checks that every array fits {@code config}'s layer count and per-layer widths, so that scores saved for one
     * model are not cut into another.
     *
     * @param where names the scores in the error, e.g. the score file
     * @throws IllegalArgumentException naming {@code where}, the array, the layer and the sizes
     */
    public void checkFits(ModelConfig config, String where) {
        int layers = config.blockCount();
        checkLayers(where, "queryHeads", scores.queryHeads(), layers, config::headCount);
        checkLayers(where, "kvHeads", scores.kvHeads(), layers, config::headCountKv);
        checkLayers(where, "ffnChannels", scores.ffnChannels(), layers, config::feedForwardLength);
        checkLength(where, "hiddenChannels", scores.hiddenChannels(), config.embeddingLength());
        checkLength(where, "layers", scores.layers(), layers);
        checkLayers(where, ATTN_OUTPUT_COLUMNS, side(ATTN_OUTPUT_COLUMNS), layers, config::qDim);
        checkLayers(where, ATTN_OUTPUT_MEANS, side(ATTN_OUTPUT_MEANS), layers, config::qDim);
        checkLayers(where, FFN_DOWN_MEANS, side(FFN_DOWN_MEANS), layers, config::feedForwardLength);
    }

    private static void checkLayers(String where, String what, float[][] a, int layers,
                                    java.util.function.IntUnaryOperator width) {
        if (a == null) return;
        if (a.length != layers) {
            throw new IllegalArgumentException(where + ": " + what + " has " + a.length + " layers, the model has " + layers);
        }
        for (int l = 0; l < layers; l++) {
            if (a[l].length != width.applyAsInt(l)) {
                throw new IllegalArgumentException(where + ": " + what + " of layer " + l + " has " + a[l].length
                        + " entries, the model has " + width.applyAsInt(l));
            }
        }
    }

    private static void checkLength(String where, String what, float[] a, int expected) {
        if (a != null && a.length != expected) {
            throw new IllegalArgumentException(where + ": " + what + " has " + a.length + " entries, the model has " + expected);
        }
    }
}
