package dev.prune4j.prune.pipeline;

import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.forward.CapturePoint;
import dev.prune4j.model.weights.ModelWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The decoder linears a run prunes: every block's q/k/v/o/gate/up/down whose Hugging Face module name
 * ({@code model.layers.3.mlp.down_proj}) or GGUF name ({@code blk.3.ffn_down}) matches a regular expression
 * ({@code find} semantics, so {@code mlp} selects every MLP linear). Embeddings and the LM head are never pruned.
 */
public final class LinearSelection {
    private LinearSelection() {}

    /** Every target of the model matching {@code regex}; an error when none does. */
    public static List<TargetLinear> select(Architecture architecture, ModelWeights weights, String regex) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--targets is not a valid regular expression: " + e.getDescription()
                    + " in '" + regex + "'");
        }
        List<TargetLinear> out = new ArrayList<>();
        for (int layer = 0; layer < weights.blocks().length; layer++) {
            for (CapturePoint point : CapturePoint.values()) {
                for (TensorRole role : point.feeds()) {
                    String hf = stripWeight(architecture.hfName(role, layer));
                    String gguf = stripWeight(role.ggufName(layer));
                    if (pattern.matcher(hf).find() || pattern.matcher(gguf).find()) {
                        out.add(new TargetLinear(layer, role, point, weights.blocks()[layer].linear(role), hf));
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--targets '" + regex + "' matches no linear; names look like "
                    + stripWeight(architecture.hfName(TensorRole.ATTN_Q, 0)) + " or " + stripWeight(TensorRole.ATTN_Q.ggufName(0)));
        }
        return out;
    }


    private static String stripWeight(String name) {
        return name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : name;
    }
}
