package dev.prune4j.train.data;

import dev.prune4j.train.Rng;
import dev.prune4j.train.loss.CrossEntropyLoss;
import java.util.List;

/**
 * Batches from a list of examples in a seeded random order, epoch after epoch. The order of epoch e is a function of
 * (seed, e) alone, so the whole state is a {@link Position} that a checkpoint stores and a resumed run seeks to.
 */
public final class BatchSampler {
    /** Where the sampler stands: the epoch and the next index into that epoch's order. */
    public record Position(int epoch, int cursor) {}

    private final List<Example> examples;
    private final int batchSize;
    private final long seed;
    private int epoch;
    private int cursor;
    private int[] order;

    public BatchSampler(List<Example> examples, int batchSize, long seed) {
        if (batchSize <= 0 || examples.isEmpty()) {
            throw new IllegalArgumentException("sampler needs examples (" + examples.size() + ") and a positive batch size (" + batchSize + ")");
        }
        this.examples = List.copyOf(examples);
        this.batchSize = batchSize;
        this.seed = seed;
        this.order = order(0);
    }

    public int size() { return examples.size(); }

    public Position position() { return new Position(epoch, cursor); }

    public void seek(Position p) {
        if (p.cursor() < 0 || p.cursor() > examples.size() || p.epoch() < 0) throw new IllegalArgumentException("sampler position " + p + " out of range");
        epoch = p.epoch();
        cursor = p.cursor();
        order = order(epoch);
    }

    /** The next {@code batchSize} examples (wrapping into the next epoch), right-padded to the longest. */
    public Batch next() {
        Example[] picked = new Example[batchSize];
        int len = 0;
        for (int i = 0; i < batchSize; i++) {
            if (cursor == examples.size()) {
                epoch++;
                cursor = 0;
                order = order(epoch);
            }
            picked[i] = examples.get(order[cursor++]);
            len = Math.max(len, picked[i].length());
        }
        int[] tokens = new int[batchSize * len], targets = new int[batchSize * len];
        java.util.Arrays.fill(targets, CrossEntropyLoss.IGNORE);
        for (int i = 0; i < batchSize; i++) {
            System.arraycopy(picked[i].tokens(), 0, tokens, i * len, picked[i].length());
            System.arraycopy(picked[i].targets(), 0, targets, i * len, picked[i].length());
        }
        return new Batch(tokens, targets, batchSize, len);
    }

    /** Fisher–Yates shuffle seeded by (seed, epoch). */
    private int[] order(int e) {
        int[] o = new int[examples.size()];
        for (int i = 0; i < o.length; i++) o[i] = i;
        Rng rng = new Rng(Rng.mix(seed, e));
        for (int i = o.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }
}
