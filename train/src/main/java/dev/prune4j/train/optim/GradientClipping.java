package dev.prune4j.train.optim;

import dev.prune4j.train.autograd.Tensor;
import java.util.List;

/** Global gradient-norm clipping, as {@code torch.nn.utils.clip_grad_norm_}: all gradients scaled by max/‖g‖ when above. */
public final class GradientClipping {
    private GradientClipping() {}

    /**
     * @param maxNorm 0 or less: only measure
     * @return the global L2 norm before clipping (summed in double, in parameter order)
     */
    public static double clip(List<Tensor> params, double maxNorm) {
        double ss = 0;
        for (Tensor t : params) {
            if (!t.hasGrad()) continue;
            for (float g : t.grad()) ss += (double) g * g;
        }
        double norm = Math.sqrt(ss);
        if (maxNorm > 0 && norm > maxNorm) {
            float s = (float) (maxNorm / (norm + 1e-6));
            for (Tensor t : params) {
                if (!t.hasGrad()) continue;
                float[] g = t.grad();
                for (int i = 0; i < g.length; i++) g[i] *= s;
            }
        }
        return norm;
    }
}
