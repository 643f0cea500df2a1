package dev.prune4j.train.optim;

/**
 * Learning-rate factor per step: linear warm-up over {@code warmupSteps} (step s gets (s+1)/warmup, so the first
 * update already moves), then a half cosine from 1 down to {@code minFactor} at the last step.
 */
public record CosineSchedule(int warmupSteps, int totalSteps, double minFactor) {
    public CosineSchedule {
        if (totalSteps <= 0 || warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("schedule: " + warmupSteps + " warm-up steps of " + totalSteps);
        }
    }

    /** @param step 0-based optimizer step */
    public double factor(int step) {
        if (step < warmupSteps) return (step + 1.0) / warmupSteps;
        int decay = totalSteps - warmupSteps;
        if (decay <= 1) return 1.0;
        double progress = Math.min(1.0, (step - warmupSteps) / (double) (decay - 1));
        return minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
