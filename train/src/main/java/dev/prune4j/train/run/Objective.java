package dev.prune4j.train.run;

import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.data.Batch;
import dev.prune4j.train.loss.CrossEntropyLoss;
import dev.prune4j.train.nn.Decoder;
import dev.prune4j.train.nn.ForwardOptions;

/** What a training step minimises for one batch (regularisers of extensions come on top). */
@FunctionalInterface
public interface Objective {
    /** @return a scalar, the mean over the batch's target tokens */
    Tensor loss(Tape tape, Decoder decoder, Batch batch, ForwardOptions opt);

    /** Next-token cross-entropy on the batch's targets. */
    static Objective languageModel() {
        return (tape, d, b, opt) -> CrossEntropyLoss.forward(tape, d.forward(tape, b.tokens(), b.batch(), opt), b.targets(),
                CrossEntropyLoss.IGNORE);
    }
}
