package dev.prune4j.model.forward;

import dev.prune4j.model.arch.TensorRole;
import java.util.List;

/**
 * The inputs of a block's linears, named after the linears they feed. Linears that share a capture point share
 * their input statistics (one Hessian for q/k/v, one for gate/up).
 */
public enum CapturePoint {
    /** Normed residual stream entering q, k and v. */
    ATTN_IN(List.of(TensorRole.ATTN_Q, TensorRole.ATTN_K, TensorRole.ATTN_V)),
    /** Concatenated attention heads entering the output projection. */
    ATTN_OUTPUT_IN(List.of(TensorRole.ATTN_OUTPUT)),
    /** Normed residual stream entering gate and up. */
    FFN_IN(List.of(TensorRole.FFN_GATE, TensorRole.FFN_UP)),
    /** Activated MLP channels entering down. */
    FFN_DOWN_IN(List.of(TensorRole.FFN_DOWN));

    private final List<TensorRole> feeds;

    CapturePoint(List<TensorRole> feeds) {
        this.feeds = feeds;
    }

    /** The linears that read this input. */
    public List<TensorRole> feeds() {
        return feeds;
    }
}
