package dev.prune4j.cli;

import dev.prune4j.eval.ppl.PerplexityEvaluator;
import dev.prune4j.eval.ppl.PerplexityProtocol;
import dev.prune4j.eval.ppl.PerplexityResult;
import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prune4j eval ppl MODEL --text FILE}: perplexity by the fixed protocol, with a progress bar. */
@Command(name = "ppl", mixinStandardHelpOptions = true,
        description = {"Perplexity of a text file: the text is tokenized once, the first --max-tokens tokens are cut into",
                "non-overlapping windows of --window tokens, each evaluated as BOS + window (or from its second token",
                "when the model adds no BOS); PPL = exp(mean NLL over all scored tokens)."})
final class EvalPplCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = "--text", required = true, paramLabel = "FILE",
            description = "UTF-8 text to score: a path, or a fetched split such as sotu:test, sotu:validation, brown:test.")
    String textArg;

    @Option(names = "--window", defaultValue = "512", description = "Tokens per window (default: ${DEFAULT-VALUE}; 128 to compare with LLM-Pruner/FLAP).")
    int window;

    @Option(names = "--max-tokens", defaultValue = "0", description = "Keep only the first N tokens of the text; 0 keeps all (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result and the protocol as JSON.")
    Path json;

    @Option(names = "--token-logprobs", description = "Include every scored token's log-probability in the JSON.")
    boolean tokenLogprobs;

    @Override
    public Integer call() throws Exception {
        Path text = Assets.resolveText(textArg);
        if (!Files.isRegularFile(text)) throw new NoSuchFileException(text.toString(), null, "text file not found");
        LanguageModel m = model.load();
        String content = Files.readString(text);
        long t0 = System.nanoTime();
        int[] tokens = m.tokenizer().encode(content);
        double tokenizeSeconds = (System.nanoTime() - t0) / 1e9;
        int bos = m.tokenizer().addBos() ? m.tokenizer().bos() : -1;
        PerplexityProtocol protocol = new PerplexityProtocol(window, maxTokens, bos);
        int kept = maxTokens > 0 ? Math.min(maxTokens, tokens.length) : tokens.length;
        PerplexityResult r;
        try (ProgressBars bar = new ProgressBars("ppl", (kept + window - 1) / window, "windows")) {
            r = new PerplexityEvaluator(m.transformer()).evaluate(tokens, protocol, bar);
        }
        System.out.printf("perplexity %.4f over %d tokens (%d windows of %d; %s) at %.1f tokens/s%n",
                r.perplexity(), r.scoredTokens(), r.windows(), window, bos >= 0 ? "BOS" : "no BOS", r.tokensPerSecond());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", m.source().toString());
        out.put("text", text.toString());
        out.put("protocol", protocol.describe());
        out.put("window", window);
        out.put("max_tokens", maxTokens);
        out.put("bos", bos);
        out.put("text_tokens", tokens.length);
        out.put("scored_tokens", r.scoredTokens());
        out.put("windows", r.windows());
        out.put("mean_nll", r.meanNll());
        out.put("perplexity", r.perplexity());
        out.put("seconds", r.seconds());
        out.put("tokenize_seconds", tokenizeSeconds);
        out.put("tokens_per_second", r.tokensPerSecond());
        out.put("prune4j_version", Version.get());
        if (tokenLogprobs) out.put("token_logprobs", r.logProbs());
        JsonOutput.write(json, out);
        return 0;
    }
}
