package dev.prune4j.eval.report;

import dev.prune4j.eval.Sha256;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import java.io.IOException;

/**
 * What identifies a model in a report and what its size is: the file and its sha256, bytes on disk, parameters,
 * and how many of the decoder blocks' linear weights are zero (what unstructured pruning removes; structured pruning
 * shows up as fewer linear weights instead).
 *
 * @param name          {@code general.name} or the file name
 * @param path          the file or directory loaded
 * @param sha256        {@link Sha256#of} the path
 * @param fileBytes     size on disk
 * @param storedTypes   storage types of the source's tensors
 * @param parameters    all weights, embeddings included (tied embeddings counted once)
 * @param linearWeights weights of the blocks' q/k/v/o/gate/up/down matrices (biases not included)
 * @param linearZeros   how many of those are exactly zero
 * @param bos           BOS id put in front of each sequence, or -1 when the model adds none
 */
public record ModelFacts(String name, String path, String sha256, long fileBytes, String storedTypes, long parameters,
                         long linearWeights, long linearZeros, int bos) {

    public static ModelFacts of(LanguageModel m) throws IOException {
        long weights = 0, zeros = 0;
        for (BlockWeights b : m.weights().blocks()) {
            for (Linear l : new Linear[] {b.attnQ(), b.attnK(), b.attnV(), b.attnOutput(), b.ffnGate(), b.ffnUp(), b.ffnDown()}) {
                float[] w = l.weight();
                weights += w.length;
                for (float v : w) if (v == 0f) zeros++;
            }
        }
        int bos = m.tokenizer().addBos() ? m.tokenizer().bos() : -1;
        return new ModelFacts(m.name(), m.source().toString(), Sha256.of(m.source()), m.sourceBytes(),
                m.storedTypes().keySet().toString(), m.weights().parameterCount(), weights, zeros, bos);
    }

    /** Zero weights among the blocks' linear weights. */
    public double linearSparsity() {
        return linearWeights == 0 ? 0 : (double) linearZeros / linearWeights;
    }

    /**
     * Share of {@code reference}'s block linear weights that this model no longer has as non-zero weights: zeroed
     * (unstructured) or gone (structured). 0 for the reference itself if it has no zeros.
     */
    public double linearRemovedVersus(ModelFacts reference) {
        if (reference.linearWeights == 0) return 0;
        return 1.0 - (double) (linearWeights - linearZeros) / reference.linearWeights;
    }
}
