package dev.prune4j.eval.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A dense model and its pruned variants measured under one protocol. The first model is the reference that
 * "parameters removed" is counted against.
 */
public record ComparisonReport(ReportProtocol protocol, List<ModelEvaluation> models) {
    public ComparisonReport {
        models = List.copyOf(models);
        if (models.isEmpty()) throw new IllegalArgumentException("a comparison needs at least one model");
    }

    public ModelFacts reference() {
        return models.getFirst().facts();
    }

    /** Share of the reference's block linear weights that model {@code i} no longer has (0–1). */
    public double removed(int i) {
        return models.get(i).facts().linearRemovedVersus(reference());
    }

    /** Task names in order of first appearance. */
    public List<String> taskNames() {
        Set<String> names = new LinkedHashSet<>();
        for (ModelEvaluation m : models) m.zeroShot().forEach(t -> names.add(t.task()));
        return new ArrayList<>(names);
    }

    /** Prompt lengths benchmarked, in order of first appearance. */
    public List<Integer> promptLengths() {
        Set<Integer> lengths = new LinkedHashSet<>();
        for (ModelEvaluation m : models) m.speed().forEach(r -> lengths.add(r.promptTokens()));
        return new ArrayList<>(lengths);
    }
}
