package dev.prune4j.train.autograd;

import dev.prune4j.train.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingOpTest {
    /** Repeated ids accumulate into the same table row. */
    @Test
    void tableGradientMatchesFiniteDifferences() {
        Rng rng = new Rng(6);
        Tensor table = TestTensors.param("embd", rng, 1f, 10, 6);
        int[] ids = {3, 7, 3, 0, 9, 3};
        GradAssert.passes(t -> EmbeddingOp.forward(t, table, ids, 1.5f), List.of(table));
    }
}
