package dev.prune4j.model.generate;

import java.util.Random;

/** Picks the next token from logits: greedy at temperature 0, otherwise softmax sampling with optional top-p. */
public final class Sampler {
    private final float temperature;
    private final float topP;
    private final Random random;

    /**
     * @param temperature 0 for greedy decoding
     * @param topP        nucleus mass in (0, 1]; 1 disables it
     * @param seed        seed of the sampling stream, recorded for reproducibility
     */
    public Sampler(float temperature, float topP, long seed) {
        if (temperature < 0) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        this.temperature = temperature;
        this.topP = topP;
        this.random = new Random(seed);
    }

    /** @param logits [vocab] of one position */
    public int sample(float[] logits, int off, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) if (logits[off + i] > logits[off + best]) best = i;
        if (temperature == 0) return best;
        double max = logits[off + best];
        double[] p = new double[vocab];
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            p[i] = Math.exp((logits[off + i] - max) / temperature);
            sum += p[i];
        }
        Integer[] order = null;
        double limit = sum;
        if (topP < 1) {
            order = new Integer[vocab];
            for (int i = 0; i < vocab; i++) order[i] = i;
            final double[] pp = p;
            java.util.Arrays.sort(order, (a, b) -> Double.compare(pp[b], pp[a]));
            double acc = 0;
            int keep = 0;
            while (keep < vocab && acc < topP * sum) acc += p[order[keep++]];
            limit = acc;
            double r = random.nextDouble() * limit;
            for (int k = 0; k < keep; k++) {
                r -= p[order[k]];
                if (r <= 0) return order[k];
            }
            return order[keep - 1];
        }
        double r = random.nextDouble() * limit;
        for (int i = 0; i < vocab; i++) {
            r -= p[i];
            if (r <= 0) return i;
        }
        return best;
    }
}
