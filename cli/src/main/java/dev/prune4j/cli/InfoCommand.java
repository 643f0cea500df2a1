package dev.prune4j.cli;

import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.config.ModelConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prune4j info MODEL}: architecture, dimensions, parameter count, storage types and file size. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show a model's architecture, dimensions, parameters, storage type and size.")
final class InfoCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the information as JSON to FILE.")
    Path json;

    @Override
    public Integer call() throws Exception {
        LanguageModel m = model.load();
        Map<String, Object> info = describe(m);
        info.forEach((k, v) -> System.out.printf("%-22s %s%n", k, v instanceof int[] a ? java.util.Arrays.toString(a) : v));
        JsonOutput.write(json, info);
        return 0;
    }

    static Map<String, Object> describe(LanguageModel m) {
        ModelConfig c = m.config();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", m.name());
        info.put("file", m.source().toString());
        info.put("architecture", m.architecture().ggufName);
        info.put("parameters", m.weights().parameterCount());
        info.put("file_bytes", m.sourceBytes());
        info.put("stored_types", m.storedTypes().toString());
        info.put("blocks", c.blockCount());
        info.put("embedding_length", c.embeddingLength());
        info.put("feed_forward_length", c.isUniform() ? c.feedForwardLength(0) : c.feedForwardLength());
        info.put("head_count", c.isUniform() ? c.headCount(0) : c.headCount());
        info.put("head_count_kv", c.isUniform() ? c.headCountKv(0) : c.headCountKv());
        info.put("head_dim", c.headDim());
        info.put("vocab_size", c.vocabSize());
        info.put("context_length", c.contextLength());
        info.put("rope_freq_base", c.ropeFreqBase());
        info.put("tied_embeddings", c.tiedEmbeddings());
        info.put("sliding_window", c.slidingWindow());
        info.put("bos", m.tokenizer().bos());
        info.put("adds_bos", m.tokenizer().addBos());
        info.put("eos", m.tokenizer().eos());
        return info;
    }
}
