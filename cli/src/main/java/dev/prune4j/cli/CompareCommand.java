package dev.prune4j.cli;

import dev.prune4j.eval.Progress;
import dev.prune4j.eval.Sha256;
import dev.prune4j.eval.bench.PeakMemory;
import dev.prune4j.eval.bench.SpeedSettings;
import dev.prune4j.eval.report.ComparisonReport;
import dev.prune4j.eval.report.ComparisonRunner;
import dev.prune4j.eval.report.ModelEvaluation;
import dev.prune4j.eval.report.ReportProtocol;
import dev.prune4j.eval.report.ReportWriter;
import dev.prune4j.eval.zeroshot.TaskLoader;
import dev.prune4j.eval.zeroshot.ZeroShotSettings;
import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.tensor.Parallel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prune4j compare MODEL... --out DIR}: one report of perplexity, zero-shot, size and speed for several models. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Measure a dense model and its pruned variants alike (perplexity, zero-shot, size, speed) and write",
                "report.md, report.json and PNG charts into --out. The first model is the reference that",
                "\"parameters removed\" is counted against."})
final class CompareCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "MODEL",
            description = "GGUF files or model directories, dense first; or the fetched defaults smollm2, gemma3, stories260k.")
    List<String> models;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the report (created if missing).")
    Path out;

    @Option(names = "--text", defaultValue = "sotu:test", paramLabel = "FILE",
            description = "Text for perplexity and the speed prompts: a path or a fetched split (default: ${DEFAULT-VALUE}).")
    String textArg;

    @Option(names = "--window", defaultValue = "512", description = "Perplexity window in tokens (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--max-tokens", defaultValue = "4096", description = "Perplexity over the text's first N tokens; 0 for all (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--tasks", split = ",", defaultValue = "sotu-cloze,sotu-next-sentence", paramLabel = "TASK",
            description = "Zero-shot tasks, as for eval zeroshot; an empty value skips zero-shot (default: ${DEFAULT-VALUE}).")
    List<String> tasks;

    @Option(names = "--limit", defaultValue = "" + ZeroShotSettings.DEFAULT_LIMIT, description = "Examples per task; 0 for all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the built-in tasks' construction (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mode", defaultValue = "loglikelihood", description = "Zero-shot mode: loglikelihood or generative (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--prompt-lengths", split = ",", defaultValue = "128,512", paramLabel = "N", description = "Speed prompts in tokens (default: ${DEFAULT-VALUE}).")
    int[] promptLengths;

    @Option(names = "--decode-tokens", defaultValue = "32", description = "Greedy decode steps timed (default: ${DEFAULT-VALUE}).")
    int decodeTokens;

    @Option(names = "--repetitions", defaultValue = "" + SpeedSettings.DEFAULT_REPETITIONS, description = "Timed speed runs per prompt length, median reported (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--no-perplexity", description = "Skip perplexity.")
    boolean noPerplexity;

    @Option(names = "--no-speed", description = "Skip the speed benchmark.")
    boolean noSpeed;

    @Override
    public Integer call() throws Exception {
        Path text = Assets.resolveText(textArg);
        if (!Files.isRegularFile(text)) throw new NoSuchFileException(text.toString(), null, "text not found (--text)");
        List<Path> paths = models.stream().map(Assets::resolveModel).toList();
        for (Path p : paths) if (!Files.exists(p)) throw new NoSuchFileException(p.toString(), null, "model not found");
        List<String> taskSpecs = tasks.stream().filter(t -> !t.isBlank()).toList();
        ZeroShotSettings zs = new ZeroShotSettings(EvalZeroShotCommand.generative(mode), limit, seed, 0, null, 8);
        SpeedSettings speed = noSpeed ? null : new SpeedSettings(promptLengths, decodeTokens, SpeedSettings.DEFAULT_WARMUPS, repetitions);
        ComparisonRunner.Settings settings = new ComparisonRunner.Settings(textArg, Sha256.of(text), Files.readString(text),
                window, maxTokens, TaskLoader.load(taskSpecs, limit, seed), zs, speed, !noPerplexity);

        List<ModelEvaluation> results = new ArrayList<>();
        ReportProtocol protocol = null;
        PeakMemory memory = new PeakMemory();
        for (int i = 0; i < paths.size(); i++) {
            memory.reset();
            LanguageModel m = LanguageModel.load(paths.get(i));
            System.err.printf("[%d/%d] %s%n", i + 1, paths.size(), paths.get(i));
            // the reference model settles the protocol's automatic choices (context length, prompt template)
            if (protocol == null) protocol = ComparisonRunner.protocol(settings, m, Version.get(), Parallel.threads());
            results.add(ComparisonRunner.measure(m, settings, memory, CompareCommand::withBar));
        }
        ComparisonReport report = new ComparisonReport(protocol, results);
        for (Path f : ReportWriter.write(report, out, textArg)) System.out.println("wrote " + f);
        return 0;
    }

    private static <T> T withBar(String stage, long total, String unit, Function<Progress, T> work) {
        try (ProgressBars bar = new ProgressBars(stage, total, unit)) {
            return work.apply(bar);
        }
    }
}
