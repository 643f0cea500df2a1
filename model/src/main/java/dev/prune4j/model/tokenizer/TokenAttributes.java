package dev.prune4j.model.tokenizer;

/**
 * Per-token attribute bits, as llama.cpp keeps them ({@code llama_token_attr}): a token can be several things at
 * once, e.g. a user-defined token that llama.cpp also marks as control because its text looks like an end-of-turn.
 */
final class TokenAttributes {
    static final int UNDEFINED = 0;
    static final int UNKNOWN = 1 << 0;
    static final int UNUSED = 1 << 1;
    static final int NORMAL = 1 << 2;
    static final int CONTROL = 1 << 3;
    static final int USER_DEFINED = 1 << 4;
    static final int BYTE = 1 << 5;

    private TokenAttributes() {}

    /**
     * The attribute for a GGUF {@code tokenizer.ggml.token_type} value (0 undefined, 1 normal, 2 unknown,
     * 3 control, 4 user-defined, 5 unused, 6 byte); unknown values count as undefined, as in llama.cpp.
     */
    static int fromGgufType(int type) {
        return switch (type) {
            case 1 -> NORMAL;
            case 2 -> UNKNOWN;
            case 3 -> CONTROL;
            case 4 -> USER_DEFINED;
            case 5 -> UNUSED;
            case 6 -> BYTE;
            default -> UNDEFINED;
        };
    }
}
