package dev.prune4j.cli;

import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.generate.Generator;
import dev.prune4j.model.generate.Sampler;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prune4j generate MODEL --prompt TEXT}: streams a continuation and reports prefill/decode speed. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Continue a prompt with the model (KV-cache decoding).")
final class GenerateCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = "--prompt", required = true, description = "The text to continue (BOS is added when the model expects it).")
    String prompt;

    @Option(names = "--max-tokens", defaultValue = "64", description = "Tokens to generate at most (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "Sampling temperature; 0 is greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-p", defaultValue = "1", description = "Nucleus sampling mass in (0,1]; 1 disables it (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the sampler (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the prompt, output, token ids and speeds as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (maxTokens < 1) throw new IllegalArgumentException("--max-tokens must be at least 1");
        LanguageModel m = model.load();
        int[] ids = m.encodePrompt(prompt);
        Sampler sampler = new Sampler(temperature, topP, seed);
        int eos = m.tokenizer().eos();
        System.out.print(prompt);
        StreamingDecoder out = new StreamingDecoder(m.tokenizer());
        Generator.Result r = new Generator(m.transformer()).generate(ids, maxTokens, sampler, t -> t == eos,
                t -> { System.out.print(out.append(t)); System.out.flush(); });
        System.out.println();
        System.err.printf("prompt %d tokens: %.1f tokens/s; generated %d tokens: %.1f tokens/s%n",
                r.promptTokens(), r.prefillTokensPerSecond(), r.tokens().length, r.decodeTokensPerSecond());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model", m.source().toString());
        result.put("prompt", prompt);
        result.put("prompt_tokens", ids);
        result.put("output", m.tokenizer().decode(r.tokens()));
        result.put("output_tokens", r.tokens());
        result.put("temperature", temperature);
        result.put("top_p", topP);
        result.put("seed", seed);
        result.put("prefill_tokens_per_second", r.prefillTokensPerSecond());
        result.put("decode_tokens_per_second", r.decodeTokensPerSecond());
        JsonOutput.write(json, result);
        return 0;
    }
}
