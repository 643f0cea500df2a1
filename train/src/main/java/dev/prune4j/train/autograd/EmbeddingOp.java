package dev.prune4j.train.autograd;

/** Token embedding lookup {@code y[i] = scale · table[ids[i]]}; the backward scatters rows back into the table. */
public final class EmbeddingOp {
    private EmbeddingOp() {}

    /**
     * @param table [vocab, dim]
     * @param ids   [n] token ids
     * @return [n, dim]
     */
    public static Tensor forward(Tape tape, Tensor table, int[] ids, float scale) {
        int vocab = table.dim(0), dim = table.dim(1);
        float[] y = new float[ids.length * dim];
        float[] t = table.data();
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= vocab) throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + vocab);
            for (int j = 0; j < dim; j++) y[i * dim + j] = t[id * dim + j] * scale;
        }
        boolean g = tape.needsGrad(table);
        Tensor result = tape.output(y, g, ids.length, dim);
        if (g) {
            tape.record(result, () -> {
                float[] dy = result.grad(), dt = table.grad();
                for (int i = 0; i < ids.length; i++) {
                    int o = ids[i] * dim;
                    for (int j = 0; j < dim; j++) dt[o + j] += scale * dy[i * dim + j];
                }
            });
        }
        return result;
    }
}
