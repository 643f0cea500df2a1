package dev.prune4j.model.arch;

/**
 * Every tensor a supported decoder has, with its GGUF name and its Hugging Face name (Llama layout).
 * This is the one place that spells tensor names; {@code %d} is the block index. Architectures whose HF names
 * differ (Gemma's four norms per block) override them in {@link Architecture#hfName}.
 */
public enum TensorRole {
    TOKEN_EMBD("token_embd.weight", "model.embed_tokens.weight", false),
    OUTPUT_NORM("output_norm.weight", "model.norm.weight", false),
    OUTPUT("output.weight", "lm_head.weight", false),
    ATTN_NORM("blk.%d.attn_norm.weight", "model.layers.%d.input_layernorm.weight", true),
    ATTN_Q("blk.%d.attn_q.weight", "model.layers.%d.self_attn.q_proj.weight", true),
    ATTN_K("blk.%d.attn_k.weight", "model.layers.%d.self_attn.k_proj.weight", true),
    ATTN_V("blk.%d.attn_v.weight", "model.layers.%d.self_attn.v_proj.weight", true),
    ATTN_Q_BIAS("blk.%d.attn_q.bias", "model.layers.%d.self_attn.q_proj.bias", true),
    ATTN_K_BIAS("blk.%d.attn_k.bias", "model.layers.%d.self_attn.k_proj.bias", true),
    ATTN_V_BIAS("blk.%d.attn_v.bias", "model.layers.%d.self_attn.v_proj.bias", true),
    ATTN_Q_NORM("blk.%d.attn_q_norm.weight", "model.layers.%d.self_attn.q_norm.weight", true),
    ATTN_K_NORM("blk.%d.attn_k_norm.weight", "model.layers.%d.self_attn.k_norm.weight", true),
    ATTN_OUTPUT("blk.%d.attn_output.weight", "model.layers.%d.self_attn.o_proj.weight", true),
    ATTN_OUTPUT_BIAS("blk.%d.attn_output.bias", "model.layers.%d.self_attn.o_proj.bias", true),
    ATTN_POST_NORM("blk.%d.post_attention_norm.weight", "model.layers.%d.post_attention_layernorm.weight", true),
    FFN_NORM("blk.%d.ffn_norm.weight", "model.layers.%d.post_attention_layernorm.weight", true),
    FFN_GATE("blk.%d.ffn_gate.weight", "model.layers.%d.mlp.gate_proj.weight", true),
    FFN_GATE_BIAS("blk.%d.ffn_gate.bias", "model.layers.%d.mlp.gate_proj.bias", true),
    FFN_UP("blk.%d.ffn_up.weight", "model.layers.%d.mlp.up_proj.weight", true),
    FFN_UP_BIAS("blk.%d.ffn_up.bias", "model.layers.%d.mlp.up_proj.bias", true),
    FFN_DOWN("blk.%d.ffn_down.weight", "model.layers.%d.mlp.down_proj.weight", true),
    FFN_DOWN_BIAS("blk.%d.ffn_down.bias", "model.layers.%d.mlp.down_proj.bias", true),
    FFN_POST_NORM("blk.%d.post_ffw_norm.weight", "model.layers.%d.post_feedforward_layernorm.weight", true);

    private final String ggufPattern;
    private final String hfPattern;
    private final boolean perBlock;

    TensorRole(String ggufPattern, String hfPattern, boolean perBlock) {
        this.ggufPattern = ggufPattern;
        this.hfPattern = hfPattern;
        this.perBlock = perBlock;
    }

    /** The bias of this linear's output rows, or null for a role that has none (norms, embeddings, lm_head). */
    public TensorRole bias() {
        return switch (this) {
            case ATTN_Q -> ATTN_Q_BIAS;
            case ATTN_K -> ATTN_K_BIAS;
            case ATTN_V -> ATTN_V_BIAS;
            case ATTN_OUTPUT -> ATTN_OUTPUT_BIAS;
            case FFN_GATE -> FFN_GATE_BIAS;
            case FFN_UP -> FFN_UP_BIAS;
            case FFN_DOWN -> FFN_DOWN_BIAS;
            default -> null;
        };
    }

    /** Whether this is an RMSNorm gain. */
    public boolean isNorm() {
        return name().endsWith("_NORM");
    }

    public boolean perBlock() {
        return perBlock;
    }

    /** GGUF tensor name; {@code block} is ignored for model-level tensors. */
    public String ggufName(int block) {
        return perBlock ? ggufPattern.formatted(block) : ggufPattern;
    }

    /** Hugging Face (Llama layout) tensor name. */
    String hfPattern() {
        return hfPattern;
    }
}
