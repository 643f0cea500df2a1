package dev.prune4j.cli;

import dev.prune4j.eval.report.ModelFacts;
import dev.prune4j.eval.report.ReportJson;
import dev.prune4j.eval.zeroshot.MultipleChoiceScorer;
import dev.prune4j.eval.zeroshot.PromptTemplate;
import dev.prune4j.eval.zeroshot.Task;
import dev.prune4j.eval.zeroshot.TaskLoader;
import dev.prune4j.eval.zeroshot.TaskResult;
import dev.prune4j.eval.zeroshot.ZeroShotSettings;
import dev.prune4j.model.LanguageModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prune4j eval zeroshot MODEL --tasks ...}: multiple-choice accuracy with its uncertainty, per task. */
@Command(name = "zeroshot", mixinStandardHelpOptions = true,
        description = {"Zero-shot multiple choice. By log-likelihood (lm-evaluation-harness conventions; acc and acc_norm",
                "both reported) or, with --mode generative, by the first option letter an instruction model answers.",
                "Every accuracy comes with its standard error and 95% interval."})
final class EvalZeroShotCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = "--tasks", split = ",", defaultValue = "sotu-cloze,sotu-next-sentence", paramLabel = "TASK",
            description = {"Comma-separated tasks (default: ${DEFAULT-VALUE}): built-in sotu-cloze, sotu-next-sentence,",
                    "brown-cloze, brown-next-sentence (cloze and next-sentence are the SOTU ones), or lm-eval-style",
                    "JSONL files with context/choices/gold per line (docs/data.md)."})
    List<String> tasks;

    @Option(names = "--limit", defaultValue = "" + ZeroShotSettings.DEFAULT_LIMIT,
            description = "Examples per task, the first ones; 0 for all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the built-in tasks' construction (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mode", defaultValue = "loglikelihood",
            description = "loglikelihood, or generative for instruction-tuned models (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--template", defaultValue = "auto", paramLabel = "NAME|FILE",
            description = {"Generative mode's prompt: plain, chatml, a file with {instruction}, {question} and {options},",
                    "or auto: chatml when the vocabulary has <|im_start|>, else plain (default: ${DEFAULT-VALUE})."})
    String template;

    @Option(names = "--max-new-tokens", defaultValue = "8", description = "Generative mode's answer length (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--max-length", defaultValue = "0",
            description = "Tokens one choice may span with its context; longer contexts lose their start. 0: the model's context (default).")
    int maxLength;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results and the protocol as JSON.")
    Path json;

    @Option(names = "--per-example", description = "Include every example's outcome (log-likelihoods or response) in the JSON.")
    boolean perExample;

    @Override
    public Integer call() throws Exception {
        ZeroShotSettings settings = new ZeroShotSettings(generative(mode), limit, seed, maxLength, template(template), maxNewTokens);
        List<Task> loaded = TaskLoader.load(tasks, limit, seed);
        LanguageModel m = model.load();
        ModelFacts facts = ModelFacts.of(m);
        MultipleChoiceScorer scorer = settings.scorer(m.transformer(), m.tokenizer());
        List<TaskResult> results = new ArrayList<>();
        for (Task task : loaded) {
            try (ProgressBars bar = new ProgressBars(task.name(), task.examples().size(), "examples")) {
                results.add(scorer.evaluate(task, bar));
            }
        }
        String protocol = settings.describe(m.transformer(), m.tokenizer());
        System.out.println("model: " + facts.path() + " (sha256 " + facts.sha256() + ")");
        System.out.println("protocol: " + protocol + "; prune4j " + Version.get());
        for (TaskResult r : results) {
            System.out.println(summary(r));
            System.out.println("    " + r.source());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", ReportJson.facts(facts));
        out.put("protocol", protocol);
        out.put("limit", limit);
        out.put("seed", seed);
        out.put("prune4j_version", Version.get());
        out.put("tasks", results.stream().map(r -> ReportJson.task(r, perExample)).toList());
        JsonOutput.write(json, out);
        return 0;
    }

    static String summary(TaskResult r) {
        String line = String.format(Locale.ROOT, "%-20s n=%d  acc %s", r.task(), r.n(), r.acc().describe());
        if (r.accNorm() != null) line += "  acc_norm " + r.accNorm().describe();
        if (r.mode().equals("generative")) line += "  unanswered " + r.unanswered();
        return line + String.format(Locale.ROOT, "  chance %.3f", r.chance());
    }

    static boolean generative(String mode) {
        return switch (mode) {
            case "loglikelihood" -> false;
            case "generative" -> true;
            default -> throw new IllegalArgumentException("--mode must be loglikelihood or generative, not " + mode);
        };
    }

    /** null for auto (chosen per model). */
    static PromptTemplate template(String arg) throws IOException {
        return switch (arg) {
            case "auto" -> null;
            case "plain" -> PromptTemplate.PLAIN;
            case "chatml" -> PromptTemplate.CHATML;
            default -> {
                Path file = Path.of(arg);
                if (!Files.isRegularFile(file)) {
                    throw new NoSuchFileException(arg, null, "--template is neither auto, plain, chatml nor a file");
                }
                yield new PromptTemplate(file.toString(), Files.readString(file));
            }
        };
    }
}
