package dev.prune4j.eval.report;

import dev.prune4j.eval.Progress;
import dev.prune4j.eval.TextTokens;
import dev.prune4j.eval.bench.PeakMemory;
import dev.prune4j.eval.bench.SpeedBenchmark;
import dev.prune4j.eval.bench.SpeedRow;
import dev.prune4j.eval.bench.SpeedSettings;
import dev.prune4j.eval.ppl.PerplexityEvaluator;
import dev.prune4j.eval.ppl.PerplexityProtocol;
import dev.prune4j.eval.ppl.PerplexityResult;
import dev.prune4j.eval.zeroshot.MultipleChoiceScorer;
import dev.prune4j.eval.zeroshot.Task;
import dev.prune4j.eval.zeroshot.TaskResult;
import dev.prune4j.eval.zeroshot.ZeroShotSettings;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.forward.Transformer;
import java.io.IOException;
import java.lang.ref.Reference;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Measures one model of a comparison: perplexity, zero-shot tasks and speed, all under one fixed protocol, so
 * that the dense model and each of its variants are measured alike.
 */
public final class ComparisonRunner {
    /**
     * @param text      the perplexity and benchmark text's name ({@code sotu:test} or a path), for reports
     * @param textSha256 its sha256
     * @param content   the text itself; its first tokens are the perplexity windows and the speed prompts
     * @param window    perplexity window in tokens
     * @param maxTokens perplexity tokens kept; 0 for the whole text
     * @param tasks     zero-shot tasks (already cut to their limit); empty to skip
     * @param zeroShot  how they are scored
     * @param speed     the speed benchmark, or null to skip it
     * @param perplexity whether perplexity is measured
     */
    public record Settings(String text, String textSha256, String content, int window, int maxTokens, List<Task> tasks,
                           ZeroShotSettings zeroShot, SpeedSettings speed, boolean perplexity) {
        public Settings {
            tasks = List.copyOf(tasks);
        }
    }

    /** Runs one stage of work with a progress display of {@code total} units, e.g. a console bar. */
    public interface Stages {
        <T> T run(String stage, long total, String unit, Function<Progress, T> work);
    }

    private ComparisonRunner() {}

    /**
     * @param memory reset by the caller before {@code m} was loaded; read when all measurements are done
     */
    public static ModelEvaluation measure(LanguageModel m, Settings s, PeakMemory memory, Stages stages) throws IOException {
        Transformer t = m.transformer();
        PerplexityResult ppl = null;
        if (s.perplexity()) {
            int bos = m.tokenizer().addBos() ? m.tokenizer().bos() : -1;
            int[] tokens = TextTokens.first(m.tokenizer(), s.content(), s.maxTokens());
            PerplexityProtocol protocol = new PerplexityProtocol(s.window(), s.maxTokens(), bos);
            ppl = stages.run("ppl", (tokens.length + s.window() - 1) / s.window(), "windows",
                    p -> new PerplexityEvaluator(t).evaluate(tokens, protocol, p));
        }
        List<TaskResult> zeroShot = new ArrayList<>();
        MultipleChoiceScorer scorer = s.zeroShot().scorer(t, m.tokenizer());
        for (Task task : s.tasks()) {
            zeroShot.add(stages.run(task.name(), task.examples().size(), "examples", p -> scorer.evaluate(task, p)));
        }
        List<SpeedRow> speed = List.of();
        if (s.speed() != null) {
            int longest = Arrays.stream(s.speed().promptLengths()).max().orElseThrow();
            int[] prompt = promptTokens(m, s.content(), longest);
            SpeedSettings b = s.speed();
            speed = stages.run("bench", (long) b.promptLengths().length * (b.warmups() + b.repetitions()), "runs",
                    p -> new SpeedBenchmark(t).run(prompt, b, p));
        }
        ModelFacts facts = ModelFacts.of(m);
        PeakMemory.Reading reading = memory.read();
        // the live heap is measured with the model still loaded
        Reference.reachabilityFence(m);
        return new ModelEvaluation(facts, ppl, zeroShot, speed, reading);
    }

    /** BOS (when the model adds it) and the text's first tokens: {@code n} tokens in all. */
    public static int[] promptTokens(LanguageModel m, String text, int n) {
        boolean bos = m.tokenizer().addBos() && m.tokenizer().bos() >= 0;
        int[] ids = TextTokens.first(m.tokenizer(), text, bos ? n - 1 : n);
        if (!bos) return ids;
        int[] out = new int[ids.length + 1];
        out[0] = m.tokenizer().bos();
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    /** The report's protocol; {@code reference} resolves the zero-shot settings' automatic choices. */
    public static ReportProtocol protocol(Settings s, LanguageModel reference, String prune4jVersion, int threads) {
        String text = s.text() + " (sha256 " + s.textSha256() + ")";
        String ppl = !s.perplexity() ? null : text + ": windows of " + s.window() + " tokens, non-overlapping, "
                + (s.maxTokens() > 0 ? "first " + s.maxTokens() + " tokens" : "all tokens") + "; each window is BOS + "
                + "its tokens when the model adds BOS (see the BOS column), else scored from its second token; "
                + "PPL = exp(mean NLL over the scored tokens)";
        String zs = null;
        if (!s.tasks().isEmpty()) {
            StringBuilder sb = new StringBuilder(s.zeroShot().describe(reference.transformer(), reference.tokenizer()));
            // one nested list item per task in the markdown report
            for (Task t : s.tasks()) sb.append("\n- ").append(t.name()).append(": ").append(t.examples().size()).append(" examples; ").append(t.source());
            zs = sb.toString();
        }
        String speed = s.speed() == null ? null : s.speed().describe() + "; prompts are the first tokens of " + text;
        return new ReportProtocol(prune4jVersion, ppl, zs, speed, ReportProtocol.currentEnvironment(threads),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }
}
