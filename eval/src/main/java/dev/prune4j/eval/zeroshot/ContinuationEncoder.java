package dev.prune4j.eval.zeroshot;

import dev.prune4j.model.tokenizer.Tokenizer;
import java.util.Arrays;

/**
 * Token ids of an example's context and of each choice's continuation, split as lm-evaluation-harness splits a
 * log-likelihood request ({@code _encode_pair}): the continuation is {@code " " + choice}; trailing whitespace of
 * the context moves to the front of the continuation; the context is encoded alone and the continuation is what
 * follows those tokens in the encoding of {@code context + continuation}.
 *
 * <p>prune4j's rule for the first token is the perplexity protocol's: BOS goes in front when the model adds BOS.
 * An empty context without BOS starts from the BOS id, or EOS when there is none (lm-eval's prefix token).
 */
final class ContinuationEncoder {
    /** lm-evaluation-harness's default {@code target_delimiter}. */
    static final String DELIMITER = " ";

    /**
     * @param context       prefix (BOS when added) + context ids; positions shared by every choice
     * @param continuations per choice, the ids it is scored on (never empty)
     * @param truncated     whether context tokens were dropped from the left to fit {@code maxLength}
     */
    record Encoded(int[] context, int[][] continuations, boolean truncated) {
        int longestContinuation() {
            return Arrays.stream(continuations).mapToInt(c -> c.length).max().orElse(0);
        }
    }

    private final Tokenizer tokenizer;
    private final int maxLength;

    /** @param maxLength tokens the model sees at most for one choice (context + continuation) */
    ContinuationEncoder(Tokenizer tokenizer, int maxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    Encoded encode(Example e) {
        String context = e.context();
        int spaces = context.length() - context.stripTrailing().length();
        String movedSpace = context.substring(context.length() - spaces);
        context = context.substring(0, context.length() - spaces);
        int[] contextIds = tokenizer.encode(context);
        int[][] conts = new int[e.choices().size()][];
        for (int i = 0; i < conts.length; i++) {
            String continuation = movedSpace + DELIMITER + e.choices().get(i);
            int[] whole = tokenizer.encode(context + continuation);
            conts[i] = Arrays.copyOfRange(whole, Math.min(contextIds.length, whole.length), whole.length);
            if (conts[i].length == 0) {
                throw new IllegalArgumentException("choice " + i + " (\"" + e.choices().get(i) + "\") encodes to no tokens after its context");
            }
        }
        int prefix = prefixToken(contextIds.length == 0);
        int longest = Arrays.stream(conts).mapToInt(c -> c.length).max().orElse(0);
        int room = maxLength - longest - (prefix >= 0 ? 1 : 0);
        if (room < (prefix >= 0 ? 0 : 1)) {
            throw new IllegalArgumentException("a continuation of " + longest + " tokens leaves no room for the context in " + maxLength + " tokens");
        }
        boolean truncated = contextIds.length > room;
        if (truncated) contextIds = Arrays.copyOfRange(contextIds, contextIds.length - room, contextIds.length);
        if (prefix < 0) return new Encoded(contextIds, conts, truncated);
        int[] withPrefix = new int[contextIds.length + 1];
        withPrefix[0] = prefix;
        System.arraycopy(contextIds, 0, withPrefix, 1, contextIds.length);
        return new Encoded(withPrefix, conts, truncated);
    }

    /** The token put in front of the context, or -1 for none. */
    private int prefixToken(boolean emptyContext) {
        if (tokenizer.addBos() && tokenizer.bos() >= 0) return tokenizer.bos();
        if (!emptyContext) return -1;
        if (tokenizer.bos() >= 0) return tokenizer.bos();
        if (tokenizer.eos() >= 0) return tokenizer.eos();
        throw new IllegalArgumentException("an example has an empty context and the model has neither BOS nor EOS to start from");
    }
}
