package dev.prune4j.eval.bench;

import java.util.Arrays;

/**
 * What {@link SpeedBenchmark} runs.
 *
 * @param promptLengths prompt lengths in tokens (the CLI's default 128 and 512: windows of the perplexity protocol)
 * @param decodeTokens  greedy tokens generated after the first (default 32, as the llama.cpp comparison in
 *                      {@code docs/benchmarks.md})
 * @param warmups       untimed runs per prompt length, so the JIT has compiled the kernels
 * @param repetitions   timed runs per prompt length; the report gives the median
 */
public record SpeedSettings(int[] promptLengths, int decodeTokens, int warmups, int repetitions) {
    public SpeedSettings {
        promptLengths = promptLengths.clone();
        if (promptLengths.length == 0 || Arrays.stream(promptLengths).anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("prompt lengths must be positive, got " + Arrays.toString(promptLengths));
        }
        if (decodeTokens < 1) throw new IllegalArgumentException("decode tokens must be at least 1, got " + decodeTokens);
        if (warmups < 0 || repetitions < 1) throw new IllegalArgumentException("need warmups >= 0 and repetitions >= 1");
    }

    /**
     * Defaults of the CLI: two warm-ups, so that the JIT has compiled the kernels for both prompt shapes before the
     * clock starts, and the median of five, so that one slow run does not set the figure. The 2-core guest of
     * {@code docs/benchmarks.md} still varies by tens of percent between invocations; read figures with the load.
     */
    public static final int DEFAULT_WARMUPS = 2, DEFAULT_REPETITIONS = 5;

    public String describe() {
        return "prompts of " + Arrays.toString(promptLengths) + " tokens, then " + decodeTokens + " greedy decode steps; "
                + warmups + " warm-up + " + repetitions + " timed runs each, median reported";
    }
}
