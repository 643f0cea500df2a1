package dev.prune4j.prune.structure.llamacpp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.Assets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * llama.cpp's perplexity of a GGUF file on given token ids, by running {@code tools/reference/llama-ppl.mjs}
 * (node-llama-cpp, CPU, F32 KV cache, exact float64 scoring). Skips the calling test when Node or the reference
 * install ({@code scripts/fetch-assets.sh --reference}) is missing.
 */
final class LlamaCppPerplexity {
    private LlamaCppPerplexity() {}

    /** The tool's JSON report: {@code perplexity.perplexity}, {@code .scored}, {@code model.architecture}, ... */
    static JsonNode run(Path model, int[] tokens, int window, Path workDir) throws IOException, InterruptedException {
        Path tools = Assets.projectRoot().resolve("tools/reference");
        assumeTrue(Files.isDirectory(tools.resolve("node_modules/node-llama-cpp")),
                "llama.cpp reference not installed: run scripts/fetch-assets.sh --reference");
        Path tokenFile = workDir.resolve(model.getFileName() + ".tokens.json");
        Files.writeString(tokenFile, Arrays.toString(tokens));
        Path json = workDir.resolve(model.getFileName() + ".llama-ppl.json");
        Path log = workDir.resolve(model.getFileName() + ".llama-ppl.log");
        List<String> command = List.of("node", tools.resolve("llama-ppl.mjs").toString(), "--model", model.toString(),
                "--tokens", tokenFile.toString(), "--window", Integer.toString(window), "--threads", "2",
                "--json", json.toString());
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            assumeTrue(false, "node is not on the PATH: " + e.getMessage());
            throw e;
        }
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("llama-ppl.mjs did not finish in 15 minutes; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("llama.cpp could not evaluate " + model + " (exit " + p.exitValue() + "):\n"
                    + Files.readString(log));
        }
        return new ObjectMapper().readTree(json.toFile());
    }
}
