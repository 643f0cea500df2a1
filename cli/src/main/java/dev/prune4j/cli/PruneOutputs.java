package dev.prune4j.cli;

import dev.prune4j.eval.Sha256;
import dev.prune4j.eval.bench.PeakMemory;
import dev.prune4j.eval.ppl.PerplexityEvaluator;
import dev.prune4j.eval.ppl.PerplexityProtocol;
import dev.prune4j.eval.ppl.PerplexityResult;
import dev.prune4j.model.Assets;
import dev.prune4j.model.AtomicFiles;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.export.GgufExporter;
import dev.prune4j.model.export.HfExporter;
import dev.prune4j.model.safetensors.SafetensorsDtype;
import dev.prune4j.tensor.GgmlType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The steps both pruning runs of {@code prune4j prune} share: checking the output options before any work, perplexity
 * with a progress bar, writing the model, the model's facts, and moving the finished folder into place.
 */
final class PruneOutputs {
    private PruneOutputs() {}

    /** Checks {@code --out}, {@code --format} and {@code --dtype}; returns the matrix storage type. */
    static GgmlType checkOutput(PruneOptions o, Path target) {
        if (Files.exists(target) && !o.overwrite) {
            throw new IllegalArgumentException("--out " + target + " exists; pass --overwrite to replace it");
        }
        if (!o.format.equals("gguf") && !o.format.equals("safetensors")) {
            throw new IllegalArgumentException("--format must be gguf or safetensors, not " + o.format);
        }
        return switch (o.dtype.toLowerCase(Locale.ROOT)) {
            case "f32" -> GgmlType.F32;
            case "f16" -> GgmlType.F16;
            default -> throw new IllegalArgumentException("--dtype must be f32 or f16, not " + o.dtype);
        };
    }

    /** A text argument (path or fetched split) that must exist; {@code what} names it in the error. */
    static Path text(String arg, String what) throws IOException {
        Path p = Assets.resolveText(arg);
        if (!Files.isRegularFile(p)) throw new NoSuchFileException(p.toString(), null, what + " not found");
        return p;
    }

    /** Safetensors output needs the tokenizer files of a Hugging Face source folder. */
    static void checkSource(LanguageModel m, String format) {
        if (format.equals("safetensors") && !Files.isDirectory(m.source())) {
            throw new IllegalArgumentException("--format safetensors needs a Hugging Face model folder as input (for tokenizer.json); "
                    + m.source() + " is a GGUF file: use --format gguf");
        }
        if (format.equals("gguf") && !m.metadata().containsKey("tokenizer.ggml.model")) {
            throw new IllegalArgumentException(m.source() + " has no GGUF vocabulary; use --format safetensors");
        }
    }

    static Map<String, Object> perplexity(LanguageModel m, int[] tokens, PerplexityProtocol protocol, String task,
                                          RunLog log, Map<String, Double> timings, String key) throws IOException {
        int kept = protocol.maxTokens() > 0 ? Math.min(protocol.maxTokens(), tokens.length) : tokens.length;
        PerplexityResult r;
        try (ProgressBars bar = new ProgressBars(task, (kept + protocol.window() - 1) / protocol.window(), "windows")) {
            r = new PerplexityEvaluator(m.transformer()).evaluate(tokens, protocol, bar);
        }
        timings.put(key, r.seconds());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("perplexity", r.perplexity());
        out.put("mean_nll", r.meanNll());
        out.put("scored_tokens", r.scoredTokens());
        out.put("windows", r.windows());
        log.event(key, out);
        System.err.printf(Locale.ROOT, "%s: %.4f over %d tokens%n", task, r.perplexity(), r.scoredTokens());
        return out;
    }

    /**
     * Writes {@code m} into {@code dir} as {@code model.gguf} or the HF folder {@code model} (tokenizer files copied
     * from its source folder).
     *
     * @return format, dtype, file (relative to {@code dir}) and bytes
     */
    static Map<String, Object> save(LanguageModel m, Path dir, String format, GgmlType type) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format", format);
        out.put("dtype", type.name());
        if (format.equals("gguf")) {
            Path file = dir.resolve("model.gguf");
            GgufExporter.write(file, m.config(), m.weights(), m.metadata(), type);
            out.put("file", "model.gguf");
            out.put("bytes", Files.size(file));
        } else {
            Map<String, byte[]> extra = new LinkedHashMap<>();
            for (String f : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json")) {
                Path p = m.source().resolve(f);
                if (Files.isRegularFile(p)) extra.put(f, Files.readAllBytes(p));
            }
            Path folder = dir.resolve("model");
            HfExporter.write(folder, m.architecture(), m.config(), m.weights(),
                    type == GgmlType.F16 ? SafetensorsDtype.F16 : SafetensorsDtype.F32, 2L << 30, extra);
            long bytes;
            try (var files = Files.walk(folder)) {
                bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
            out.put("file", "model");
            out.put("bytes", bytes);
        }
        return out;
    }

    static Map<String, Object> modelInfo(LanguageModel m) throws IOException {
        return modelInfo(m, Sha256.of(m.source()));
    }

    static Map<String, Object> modelInfo(LanguageModel m, String sha256) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", m.name());
        info.put("source", m.source().toString());
        info.put("sha256", sha256);
        info.put("architecture", m.architecture().ggufName);
        info.put("parameters", m.weights().parameterCount());
        info.put("source_bytes", m.sourceBytes());
        return info;
    }

    static Map<String, Long> memory(PeakMemory.Reading mem) {
        Map<String, Long> memory = new LinkedHashMap<>();
        memory.put("heap_peak", mem.heapBytes());
        memory.put("live_heap_at_end", mem.liveHeapBytes());
        memory.put("resident_peak", mem.rssBytes());
        return memory;
    }

    /** Moves the finished temporary folder to {@code target}, replacing what is there (checked by --overwrite). */
    static void publish(Path tmp, Path target) throws IOException {
        if (Files.exists(target)) AtomicFiles.deleteRecursively(target);
        Files.move(tmp, target);
    }
}
