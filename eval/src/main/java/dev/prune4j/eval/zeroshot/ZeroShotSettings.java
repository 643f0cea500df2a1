package dev.prune4j.eval.zeroshot;

import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.tokenizer.Tokenizer;
import java.util.Locale;

/**
 * How zero-shot tasks are scored, with the sentence that reports print about it.
 *
 * @param generative   generative mode (instruction models) instead of log-likelihood
 * @param limit        examples per task, the first ones; 0 for all
 * @param seed         seed of the built-in tasks' construction
 * @param maxLength    tokens one choice may span in log-likelihood mode; 0 for the model's context length
 * @param template     generative mode's prompt; null picks {@link PromptTemplate#forModel}
 * @param maxNewTokens generative mode's answer length
 */
public record ZeroShotSettings(boolean generative, int limit, long seed, int maxLength, PromptTemplate template, int maxNewTokens) {
    /**
     * Examples per task unless told otherwise: at an accuracy near 0.5 the 95% interval of 500 examples is about ±4.4
     * points, enough to tell a model from chance (0.25) and a good variant from a broken one, in minutes on 2 cores.
     */
    public static final int DEFAULT_LIMIT = 500;

    public MultipleChoiceScorer scorer(Transformer transformer, Tokenizer tokenizer) {
        if (generative) return new GenerativeScorer(transformer, tokenizer, template(tokenizer), maxNewTokens);
        return new LoglikelihoodScorer(transformer, tokenizer, maxLength(transformer));
    }

    public PromptTemplate template(Tokenizer tokenizer) {
        return template != null ? template : PromptTemplate.forModel(tokenizer);
    }

    private int maxLength(Transformer transformer) {
        return maxLength > 0 ? maxLength : transformer.config().contextLength();
    }

    /** The protocol sentence for reports; {@code tokenizer} and {@code transformer} resolve the automatic choices. */
    public String describe(Transformer transformer, Tokenizer tokenizer) {
        String examples = (limit > 0 ? "the first " + limit + " examples" : "all examples") + " of each task; built-in tasks built with seed " + seed;
        String stats = "± is the standard error sqrt(p(1-p)/(n-1)) as lm-evaluation-harness reports it; the interval is Wilson's 95% score interval";
        if (generative) {
            return String.format(Locale.ROOT, "generative: prompt template %s with lettered options, BOS first when the model adds it, "
                    + "greedy answer of up to %d tokens stopped at EOS or a control token; the answer is the first option letter "
                    + "standing alone in it, no letter counts as wrong; %s; %s", template(tokenizer).name(), maxNewTokens, examples, stats);
        }
        return String.format(Locale.ROOT, "log-likelihood, lm-evaluation-harness conventions: each choice scored as the continuation "
                + "\" \" + choice of its context (trailing whitespace of the context moved into the continuation), BOS first "
                + "when the model adds it, contexts cut from the left to fit %d tokens; acc = highest summed log-probability, "
                + "acc_norm = highest log-probability per character of the choice; %s; %s", maxLength(transformer), examples, stats);
    }
}
