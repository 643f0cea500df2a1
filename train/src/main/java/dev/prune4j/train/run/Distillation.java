package dev.prune4j.train.run;

import dev.prune4j.train.autograd.ElementwiseOps;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.data.Batch;
import dev.prune4j.train.loss.CrossEntropyLoss;
import dev.prune4j.train.loss.KlDivergenceLoss;
import dev.prune4j.train.nn.Decoder;
import dev.prune4j.train.nn.ForwardOptions;

/**
 * Knowledge distillation from a teacher model: {@code (1 − w)·CE + w·T²·KL(teacher ‖ student)} at temperature T, on the
 * batch's target positions. The teacher runs without a tape (no gradient, no saved activations).
 */
public final class Distillation implements Objective {
    private final Decoder teacher;
    private final float temperature;
    private final float klWeight;

    public Distillation(Decoder teacher, float temperature, float klWeight) {
        if (klWeight < 0 || klWeight > 1) throw new IllegalArgumentException("KL weight must be in [0, 1], got " + klWeight);
        this.teacher = teacher;
        this.temperature = temperature;
        this.klWeight = klWeight;
    }

    @Override
    public Tensor loss(Tape tape, Decoder student, Batch b, ForwardOptions opt) {
        if (teacher.config().vocabSize() != student.config().vocabSize()) {
            throw new IllegalArgumentException("teacher vocabulary " + teacher.config().vocabSize() + " differs from the student's "
                    + student.config().vocabSize());
        }
        float[] t = teacher.forward(Tape.noGrad(), b.tokens(), b.batch(), ForwardOptions.EVAL).data();
        Tensor logits = student.forward(tape, b.tokens(), b.batch(), opt);
        Tensor kl = KlDivergenceLoss.forward(tape, logits, t, temperature, b.targets(), CrossEntropyLoss.IGNORE);
        if (klWeight == 1) return kl;
        Tensor ce = CrossEntropyLoss.forward(tape, logits, b.targets(), CrossEntropyLoss.IGNORE);
        return ElementwiseOps.add(tape, ElementwiseOps.scale(tape, ce, 1 - klWeight), ElementwiseOps.scale(tape, kl, klWeight));
    }
}
