package dev.prune4j.cli;

import dev.prune4j.eval.Sha256;
import dev.prune4j.eval.bench.PeakMemory;
import dev.prune4j.eval.bench.SpeedBenchmark;
import dev.prune4j.eval.bench.SpeedRow;
import dev.prune4j.eval.bench.SpeedSettings;
import dev.prune4j.eval.report.ComparisonRunner;
import dev.prune4j.eval.report.ModelFacts;
import dev.prune4j.eval.report.ReportJson;
import dev.prune4j.eval.report.ReportProtocol;
import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.tensor.Parallel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prune4j bench MODEL}: prefill and decode speed, time to first token, peak memory and size on disk. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Speed of a model at batch 1: prefill tokens/s and time to first token for a few prompt lengths,",
                "then greedy decode tokens/s; peak memory over loading and running; size on disk."})
final class BenchCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = "--prompt-lengths", split = ",", defaultValue = "128,512", paramLabel = "N",
            description = "Prompt lengths in tokens, BOS included (default: ${DEFAULT-VALUE}).")
    int[] promptLengths;

    @Option(names = "--decode-tokens", defaultValue = "32", description = "Greedy decode steps after the first token (default: ${DEFAULT-VALUE}).")
    int decodeTokens;

    @Option(names = "--warmups", defaultValue = "" + SpeedSettings.DEFAULT_WARMUPS, description = "Untimed runs per prompt length (default: ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--repetitions", defaultValue = "" + SpeedSettings.DEFAULT_REPETITIONS, description = "Timed runs per prompt length; the median is reported (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--text", defaultValue = "sotu:test", paramLabel = "FILE",
            description = "Text whose first tokens are the prompts: a path or a fetched split (default: ${DEFAULT-VALUE}).")
    String textArg;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results and the settings as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        SpeedSettings settings = new SpeedSettings(promptLengths, decodeTokens, warmups, repetitions);
        Path text = Assets.resolveText(textArg);
        if (!Files.isRegularFile(text)) throw new NoSuchFileException(text.toString(), null, "benchmark text not found (--text)");
        PeakMemory memory = new PeakMemory();
        memory.reset();
        LanguageModel m = model.load();
        int[] prompt = ComparisonRunner.promptTokens(m, Files.readString(text), Arrays.stream(promptLengths).max().orElseThrow());
        List<SpeedRow> rows;
        try (ProgressBars bar = new ProgressBars("bench", (long) promptLengths.length * (warmups + repetitions), "runs")) {
            rows = new SpeedBenchmark(m.transformer()).run(prompt, settings, bar);
        }
        PeakMemory.Reading peak = memory.read();
        ModelFacts facts = ModelFacts.of(m);
        String protocol = settings.describe() + "; prompts are the first tokens of " + textArg + " (sha256 " + Sha256.of(text) + ")";
        System.out.println("model: " + facts.path() + " (sha256 " + facts.sha256() + ", " + String.format(Locale.ROOT, "%.1f MB", facts.fileBytes() / 1e6) + ")");
        System.out.println("protocol: " + protocol + "; prune4j " + Version.get() + "; " + ReportProtocol.currentEnvironment(Parallel.threads()));
        System.out.println("prompt  prefill tok/s  TTFT ms  decode tok/s");
        for (SpeedRow r : rows) {
            System.out.printf(Locale.ROOT, "%6d  %13.1f  %7.0f  %12.1f%n", r.promptTokens(), r.prefillTokensPerSecond(), r.timeToFirstTokenMs(), r.decodeTokensPerSecond());
        }
        System.out.printf(Locale.ROOT, "live heap %.0f MB, peak heap %.0f MB, peak RSS %s%n", peak.liveHeapBytes() / 1e6, peak.heapBytes() / 1e6,
                peak.rssBytes() < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f MB", peak.rssBytes() / 1e6));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", ReportJson.facts(facts));
        out.put("protocol", protocol);
        out.put("prune4j_version", Version.get());
        out.put("environment", ReportProtocol.currentEnvironment(Parallel.threads()));
        out.put("speed", ReportJson.speed(rows));
        out.put("memory", ReportJson.memory(peak));
        JsonOutput.write(json, out);
        return 0;
    }
}
