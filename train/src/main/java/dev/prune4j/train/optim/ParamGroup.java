package dev.prune4j.train.optim;

import dev.prune4j.train.autograd.Tensor;
import java.util.List;

/**
 * Parameters that share optimizer settings: LoRA weights, mask scores, low-rank operators and dual variables each
 * get their own group.
 *
 * @param lr          peak learning rate (the schedule multiplies it)
 * @param weightDecay decoupled weight decay (AdamW), per unit of learning rate
 * @param maximize    ascend instead of descend (dual variables of a min–max objective)
 */
public record ParamGroup(String name, List<Tensor> params, double lr, double weightDecay, boolean maximize) {
    public ParamGroup {
        params = List.copyOf(params);
        for (Tensor t : params) {
            if (!t.requiresGrad()) throw new IllegalArgumentException("group " + name + ": " + t + " does not require a gradient");
        }
    }

    public static ParamGroup of(String name, List<Tensor> params, double lr, double weightDecay) {
        return new ParamGroup(name, params, lr, weightDecay, false);
    }
}
