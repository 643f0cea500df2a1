package dev.prune4j.cli;

import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.export.GgufExporter;
import dev.prune4j.tensor.GgmlType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prune4j convert MODEL --out FILE.gguf --dtype f32|f16}: dequantize and rewrite. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Dequantize a model and write it as GGUF with F32, F16 or BF16 matrices (norms stay F32).")
final class ConvertCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = "--out", required = true, paramLabel = "FILE.gguf", description = "Output file (written to a temp file, then renamed).")
    Path out;

    @Option(names = "--dtype", defaultValue = "f32", description = "Storage of the matrices: f32, f16 or bf16 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write a summary of the conversion as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        GgmlType type = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "f32" -> GgmlType.F32;
            case "f16" -> GgmlType.F16;
            case "bf16" -> GgmlType.BF16;
            default -> throw new IllegalArgumentException("--dtype must be f32, f16 or bf16, not " + dtype);
        };
        if (out.toAbsolutePath().normalize().equals(model.path().toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--out must differ from the input model");
        }
        LanguageModel m = model.load();
        if (!m.metadata().containsKey("tokenizer.ggml.model")) {
            // a GGUF without its vocabulary loads nowhere; HF directories carry tokenizer.json instead
            throw new IllegalArgumentException(m.source() + " has no GGUF vocabulary (tokenizer.ggml.*); converting a "
                    + "Hugging Face directory to GGUF is not supported yet");
        }
        long t0 = System.nanoTime();
        GgufExporter.write(out, m.config(), m.weights(), m.metadata(), type);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("wrote %s (%s, %.1f MB) in %.1f s%n", out, type, Files.size(out) / 1e6, seconds);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", m.source().toString());
        r.put("out", out.toString());
        r.put("dtype", type.name());
        r.put("bytes", Files.size(out));
        r.put("seconds", seconds);
        JsonOutput.write(json, r);
        return 0;
    }
}
