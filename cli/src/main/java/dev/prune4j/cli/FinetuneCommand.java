package dev.prune4j.cli;

import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.export.GgufExporter;
import dev.prune4j.tensor.GgmlType;
import dev.prune4j.train.data.BatchSampler;
import dev.prune4j.train.data.Example;
import dev.prune4j.train.data.InstructionData;
import dev.prune4j.train.data.PromptTemplate;
import dev.prune4j.train.data.TextWindows;
import dev.prune4j.train.lora.AdapterFiles;
import dev.prune4j.train.lora.Lora;
import dev.prune4j.train.lora.LoraAdapter;
import dev.prune4j.train.lora.LoraConfig;
import dev.prune4j.train.nn.Decoder;
import dev.prune4j.train.optim.ParamGroup;
import dev.prune4j.train.run.Checkpoint;
import dev.prune4j.train.run.Distillation;
import dev.prune4j.train.run.HeapMonitor;
import dev.prune4j.train.run.LossCurve;
import dev.prune4j.train.run.Objective;
import dev.prune4j.train.run.RunReport;
import dev.prune4j.train.run.Trainer;
import dev.prune4j.train.run.TrainingLoop;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prune4j finetune MODEL --data FILE --out DIR}: LoRA fine-tuning (optionally distilled from a teacher). */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"LoRA fine-tuning with AdamW, a cosine schedule with warm-up and gradient clipping. Writes the adapter",
                "(PEFT layout), checkpoints, the loss curve and a report into --out; --resume continues a stopped run exactly."})
final class FinetuneCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "Training data: plain text (a path or a fetched split such as sotu:calibration) or instruction JSON lines (.jsonl).")
    String data;

    @Option(names = "--format", defaultValue = "auto", description = "text, jsonl, or auto (jsonl for *.jsonl; default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--template", paramLabel = "TEXT",
            description = "Prompt template for JSON lines, with {instruction} and {input}; \\n is a newline (default: Alpaca).")
    String template;

    @Option(names = "--max-tokens", defaultValue = "0", description = "Use only the first N tokens of a text; 0 uses all (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--lora-rank", defaultValue = "8", description = "LoRA rank r (default: ${DEFAULT-VALUE}).")
    int rank;

    @Option(names = "--lora-alpha", defaultValue = "16", description = "LoRA alpha; updates are scaled by alpha/r (default: ${DEFAULT-VALUE}).")
    float alpha;

    @Option(names = "--lora-dropout", defaultValue = "0.05", description = "Dropout on the adapters' inputs (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Option(names = "--lora-targets", defaultValue = "all-linear", split = ",", paramLabel = "NAMES",
            description = "Module-name suffixes that get adapters (q_proj,v_proj,...) or all-linear (default: ${DEFAULT-VALUE}).")
    List<String> targets;

    @Option(names = "--lora-target-regex", paramLabel = "REGEX", description = "Instead of --lora-targets: a regex the whole module name must match.")
    String targetRegex;

    @Option(names = "--steps", defaultValue = "100", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", defaultValue = "2e-4", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--weight-decay", defaultValue = "0", description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--warmup", defaultValue = "10", description = "Linear warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--min-lr-factor", defaultValue = "0.1", description = "Cosine floor as a fraction of --lr (default: ${DEFAULT-VALUE}).")
    double minLrFactor;

    @Option(names = "--clip", defaultValue = "1.0", description = "Maximum global gradient norm; 0 disables clipping (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--batch", defaultValue = "1", description = "Sequences per micro-batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seq-len", defaultValue = "256", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(names = "--accumulation", defaultValue = "1", description = "Micro-batches per optimizer step (default: ${DEFAULT-VALUE}).")
    int accumulation;

    @Option(names = "--recompute", description = "Recompute each block's activations during backward: less memory, ~1/3 more time, same result.")
    boolean recompute;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of data order, dropout and adapter initialisation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--teacher", paramLabel = "MODEL", description = "Distil from this model's logits (same vocabulary), e.g. the unpruned model.")
    String teacher;

    @Option(names = "--kd-temperature", defaultValue = "2", description = "Distillation temperature (default: ${DEFAULT-VALUE}).")
    float kdTemperature;

    @Option(names = "--kd-weight", defaultValue = "0.5", description = "Weight of the KL term; 1 − weight goes to cross-entropy (default: ${DEFAULT-VALUE}).")
    float kdWeight;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory: adapter/, checkpoint/, loss.png, report.md, run.json.")
    Path out;

    @Option(names = "--checkpoint-every", defaultValue = "50", description = "Save a checkpoint every N steps (and always at the end) (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue the run saved in --out/checkpoint (settings must match).")
    boolean resume;

    @Option(names = "--stop-after", defaultValue = "0", description = "Stop after N steps of this invocation (checkpoint saved; continue with --resume); 0 = run to the end.")
    int stopAfter;

    @Option(names = "--save-merged", paramLabel = "FILE.gguf", description = "When training is complete, merge the adapters and write the model as F32 GGUF.")
    Path saveMerged;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the run summary as JSON to this file.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (warmup > steps) throw new IllegalArgumentException("--warmup (" + warmup + ") must not exceed --steps (" + steps + ")");
        Path checkpoint = out.resolve("checkpoint");
        if (!resume && Files.exists(checkpoint.resolve(Checkpoint.STATE))) {
            throw new IllegalArgumentException(checkpoint + " holds a run: continue it with --resume, or choose another --out");
        }
        LanguageModel m = model.load();
        List<Example> examples = examples(m);
        Decoder decoder = Decoder.of(m.config(), m.weights());
        LoraConfig lora = new LoraConfig(rank, alpha, dropout, targetRegex != null ? List.of() : targets, targetRegex);
        List<LoraAdapter> adapters = Lora.attach(decoder, lora, seed);
        Objective objective = Objective.languageModel();
        if (teacher != null) {
            LanguageModel t = LanguageModel.load(Assets.resolveModel(teacher));
            objective = new Distillation(Decoder.of(t.config(), t.weights()), kdTemperature, kdWeight);
        }
        Trainer trainer = new Trainer(decoder, objective, List.of(ParamGroup.of("lora", Lora.parameters(adapters), lr, weightDecay)),
                List.of(), new BatchSampler(examples, batch, seed),
                new Trainer.Config(steps, warmup, minLrFactor, clip, accumulation, recompute, seed));
        Map<String, Object> settings = settings(m, examples.size(), adapters);
        TrainingLoop loop = new TrainingLoop(trainer, checkpoint, checkpointEvery, settings);
        if (resume) loop.resume();
        System.err.printf("%d examples, %d adapters (%d trainable values), steps %d..%d of %d%n", examples.size(), adapters.size(),
                trainer.parameters().stream().mapToLong(t -> t.size()).sum(), trainer.completedSteps() + 1,
                stopAfter > 0 ? Math.min(steps, trainer.completedSteps() + stopAfter) : steps, steps);

        long activationPeak;
        long liveHeap;
        try (HeapMonitor heap = new HeapMonitor(); ProgressBars bar = new ProgressBars("finetune", steps, "steps")) {
            long[] peak = {0};
            bar.update(trainer.completedSteps(), steps);
            loop.run(stopAfter, r -> {
                peak[0] = Math.max(peak[0], r.activationBytes());
                bar.message(String.format(" loss %.4f | %.0f tok/s", r.loss(), r.tokens() / r.seconds()));
                bar.update(r.step() + 1, steps);
            });
            activationPeak = peak[0];
            liveHeap = heap.maxLiveBytes();
        }
        List<Trainer.StepResult> history = loop.history();
        AdapterFiles.save(out.resolve("adapter"), adapters, lora, m.config(), m.name());
        LossCurve.writePng(out.resolve("loss.png"), m.name() + " LoRA r=" + rank + " on " + data, history);
        Map<String, Object> results = results(trainer, history, activationPeak, liveHeap);
        if (saveMerged != null && trainer.done()) writeMerged(m, decoder, results);
        RunReport.write(out.resolve("report.md"), "Fine-tuning " + m.name(), settings, results, history, "loss.png",
                List.of("Adapter (PEFT layout): `adapter/`. Resume: the same command with `--resume`.",
                        saveMerged != null ? "Evaluate: `prune4j eval ppl " + saveMerged + " --text <split>`." : ""));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("settings", settings);
        summary.put("results", results);
        summary.put("prune4j_version", Version.get());
        JsonOutput.write(out.resolve("run.json"), summary);
        JsonOutput.write(json, summary);
        System.out.printf("step %d/%d: loss %.4f (first %.4f), %.1f tokens/s, activations %.1f MB, live heap %.0f MB -> %s%n",
                trainer.completedSteps(), steps, history.getLast().loss(), history.getFirst().loss(), results.get("tokens_per_second"),
                activationPeak / 1e6, liveHeap / 1e6, out);
        return 0;
    }

    private List<Example> examples(LanguageModel m) throws Exception {
        Path file = Assets.resolveText(data);
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "training data not found");
        boolean jsonl = format.equals("jsonl") || (format.equals("auto") && file.toString().endsWith(".jsonl"));
        if (!jsonl && !format.equals("text") && !format.equals("auto")) {
            throw new IllegalArgumentException("--format must be text, jsonl or auto, not " + format);
        }
        if (jsonl) {
            PromptTemplate t = template == null ? PromptTemplate.ALPACA : PromptTemplate.of(template);
            InstructionData.Loaded l = InstructionData.load(file, m.tokenizer(), t, seqLen);
            if (l.withoutResponseTokens() > 0) {
                System.err.printf("%d of %d examples dropped: their prompt fills all %d tokens%n", l.withoutResponseTokens(), l.lines(), seqLen);
            }
            return l.examples();
        }
        int[] tokens = m.tokenizer().encode(Files.readString(file));
        if (maxTokens > 0 && tokens.length > maxTokens) tokens = Arrays.copyOf(tokens, maxTokens);
        return TextWindows.of(tokens, seqLen, m.tokenizer().addBos() ? m.tokenizer().bos() : -1);
    }

    /** Everything that defines the run; a resumed run must match it. */
    private Map<String, Object> settings(LanguageModel m, int examples, List<LoraAdapter> adapters) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", m.source().toString());
        s.put("data", Assets.resolveText(data).toString());
        s.put("format", format);
        s.put("template", template == null ? "alpaca" : template);
        s.put("max_tokens", maxTokens);
        s.put("examples", examples);
        s.put("lora_rank", rank);
        s.put("lora_alpha", alpha);
        s.put("lora_dropout", dropout);
        s.put("lora_targets", targetRegex != null ? targetRegex : String.join(",", targets));
        s.put("adapters", adapters.size());
        s.put("steps", steps);
        s.put("lr", lr);
        s.put("weight_decay", weightDecay);
        s.put("warmup", warmup);
        s.put("min_lr_factor", minLrFactor);
        s.put("clip", clip);
        s.put("batch", batch);
        s.put("seq_len", seqLen);
        s.put("accumulation", accumulation);
        s.put("seed", seed);
        s.put("teacher", teacher == null ? "none" : Assets.resolveModel(teacher).toString());
        if (teacher != null) {
            s.put("kd_temperature", kdTemperature);
            s.put("kd_weight", kdWeight);
        }
        return s;
    }

    private Map<String, Object> results(Trainer trainer, List<Trainer.StepResult> history, long activationPeak, long liveHeap) {
        double seconds = history.stream().mapToDouble(Trainer.StepResult::seconds).sum();
        long tokens = history.stream().mapToLong(Trainer.StepResult::tokens).sum();
        int tail = Math.min(10, history.size());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("completed_steps", trainer.completedSteps());
        r.put("first_loss", history.getFirst().loss());
        r.put("last_loss", history.getLast().loss());
        r.put("mean_loss_last_" + tail, history.subList(history.size() - tail, history.size()).stream()
                .mapToDouble(Trainer.StepResult::loss).average().orElse(Double.NaN));
        r.put("train_tokens", tokens);
        r.put("train_seconds", Math.round(seconds * 10) / 10.0);
        r.put("tokens_per_second", Math.round(tokens / seconds * 10) / 10.0);
        // steady state: the median step after the first two (JIT compilation and first allocations)
        double[] rates = history.stream().skip(history.size() > 4 ? 2 : 0).mapToDouble(s -> s.tokens() / s.seconds()).sorted().toArray();
        r.put("tokens_per_second_median", Math.round(rates[rates.length / 2] * 10) / 10.0);
        double cpu = history.stream().mapToDouble(Trainer.StepResult::cpuSeconds).sum();
        r.put("cpu_seconds", Math.round(cpu * 10) / 10.0);
        r.put("tokens_per_cpu_second", Math.round(tokens / cpu * 10) / 10.0);
        r.put("recompute", recompute);
        r.put("activation_peak_mb", Math.round(activationPeak / 1e5) / 10.0);
        r.put("live_heap_peak_mb", Math.round(liveHeap / 1e5) / 10.0);
        r.put("threads", dev.prune4j.tensor.Parallel.threads());
        return r;
    }

    private void writeMerged(LanguageModel m, Decoder decoder, Map<String, Object> results) throws Exception {
        if (!m.metadata().containsKey("tokenizer.ggml.model")) {
            throw new IllegalArgumentException(m.source() + " has no GGUF vocabulary; --save-merged writes GGUF and needs one");
        }
        Lora.merge(decoder);
        GgufExporter.write(saveMerged, m.config(), m.weights(), m.metadata(), GgmlType.F32);
        results.put("merged_model", saveMerged.toString());
        System.err.printf("merged model written to %s%n", saveMerged);
    }
}
