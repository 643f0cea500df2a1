package dev.prune4j.train.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;

/** Runs {@link GradientCheck} and fails with its report. */
public final class GradAssert {
    private GradAssert() {}

    public static GradientCheck.Result passes(Function<Tape, Tensor> graph, List<Tensor> inputs) {
        return passes(graph, inputs, GradientCheck.Options.DEFAULT);
    }

    public static GradientCheck.Result passes(Function<Tape, Tensor> graph, List<Tensor> inputs, GradientCheck.Options o) {
        GradientCheck.Result r = GradientCheck.check(graph, inputs, o);
        System.out.println(r);
        assertThat(r.passed()).as(r.toString()).isTrue();
        return r;
    }
}
