package dev.prune4j.train.lora;

import java.util.List;
import java.util.regex.Pattern;

/**
 * LoRA hyper-parameters and which linears get an adapter, with PEFT's meaning: {@code targetModules} are module-name
 * suffixes ({@code q_proj} matches {@code model.layers.3.self_attn.q_proj}), {@code all-linear} means every linear of
 * the decoder blocks (not lm_head), and a {@code targetRegex}, when given, must match the whole module name instead.
 *
 * @param rank    r, the inner dimension of B·A
 * @param alpha   the update is scaled by alpha / r
 * @param dropout dropout on the adapter's input while training (PEFT's lora_dropout)
 */
public record LoraConfig(int rank, float alpha, float dropout, List<String> targetModules, String targetRegex) {
    public static final String ALL_LINEAR = "all-linear";
    /** The linears of a Llama-family block, by module-name suffix. */
    public static final List<String> BLOCK_LINEARS = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    public LoraConfig {
        if (rank <= 0) throw new IllegalArgumentException("LoRA rank must be positive, got " + rank);
        if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        targetModules = List.copyOf(targetModules);
        if (targetModules.isEmpty() && targetRegex == null) throw new IllegalArgumentException("LoRA needs target modules or a target regex");
    }

    public float scale() { return alpha / rank; }

    /** Whether the linear named {@code moduleName} gets an adapter. */
    public boolean selects(String moduleName) {
        if (targetRegex != null) return Pattern.matches(targetRegex, moduleName);
        for (String t : targetModules) {
            if (t.equals(ALL_LINEAR)) {
                if (BLOCK_LINEARS.stream().anyMatch(s -> moduleName.endsWith("." + s))) return true;
            } else if (moduleName.equals(t) || moduleName.endsWith("." + t)) {
                return true;
            }
        }
        return false;
    }
}
