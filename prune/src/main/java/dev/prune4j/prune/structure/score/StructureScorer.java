package dev.prune4j.prune.structure.score;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.ModelWeights;

/**
 * One way of scoring the prunable groups of a model (larger = more important). A scorer reads the dense weights and,
 * when it needs them, the calibration sequences; it never changes the weights. Allocation turns the result into a
 * plan; the result can be saved ({@link ScoreFiles}) and cut to several targets.
 */
public interface StructureScorer {
    /** The method's name as the CLI and the score files spell it ({@code l2}, {@code wanda-sp}, ...). */
    String name();

    /** Whether {@link #score} reads calibration sequences (if not, it may be passed none). */
    boolean needsCalibration();

    /**
     * @param samples [sample][token] calibration sequences (each starts with BOS when the model uses one); ignored
     *                when {@link #needsCalibration()} is false
     */
    ScoreSet score(ModelConfig config, ModelWeights weights, int[][] samples, ScoreProgress progress);
}
