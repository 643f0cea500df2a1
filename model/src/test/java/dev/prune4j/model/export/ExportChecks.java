package dev.prune4j.model.export;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.ModelWeights;

/** Test helper of the export round trips: a model's logits on a token sequence, and how far two sets differ. */
final class ExportChecks {
    private ExportChecks() {}

    /** @return [tokens.length, vocab] logits of one forward pass over {@code tokens} */
    static float[] logits(ModelConfig c, ModelWeights w, int[] tokens) {
        Transformer t = new Transformer(c, w);
        float[] h = t.forward(tokens, t.newCache(tokens.length), ForwardHooks.NONE);
        float[] out = new float[tokens.length * c.vocabSize()];
        t.logits(h, 0, tokens.length, out);
        return out;
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
