package dev.prune4j.eval.zeroshot;

import dev.prune4j.eval.Progress;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.generate.Generator;
import dev.prune4j.model.generate.Sampler;
import dev.prune4j.model.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Multiple choice for instruction-tuned models by generation, as PAT evaluates them: the example goes into a prompt
 * with lettered options, the model answers greedily, and the first option letter of its answer is its choice. A
 * response without a letter counts as wrong and is reported as unanswered.
 */
public final class GenerativeScorer implements MultipleChoiceScorer {
    private final Transformer transformer;
    private final Tokenizer tokenizer;
    private final PromptTemplate template;
    private final int maxNewTokens;
    private final Map<String, Integer> control;

    public GenerativeScorer(Transformer transformer, Tokenizer tokenizer, PromptTemplate template, int maxNewTokens) {
        if (maxNewTokens < 1) throw new IllegalArgumentException("max new tokens must be at least 1, got " + maxNewTokens);
        this.transformer = transformer;
        this.tokenizer = tokenizer;
        this.template = template;
        this.maxNewTokens = maxNewTokens;
        this.control = template.controlTokensIn(tokenizer);
    }

    @Override
    public TaskResult evaluate(Task task, Progress progress) {
        long t0 = System.nanoTime();
        Generator generator = new Generator(transformer);
        Sampler greedy = new Sampler(0f, 1f, 0);
        int context = transformer.config().contextLength();
        List<ExampleOutcome> outcomes = new ArrayList<>();
        int correct = 0, unanswered = 0, truncated = 0;
        for (int i = 0; i < task.examples().size(); i++) {
            Example e = task.examples().get(i);
            int[] prompt = withBos(template.encode(tokenizer, control, task.instruction(), e));
            if (prompt.length + maxNewTokens > context) {
                prompt = keepEnd(prompt, context - maxNewTokens);
                truncated++;
            }
            // stop at EOS or any control token (ChatML's <|im_end|>)
            int[] tokens = generator.generate(prompt, maxNewTokens, greedy, tokenizer::isSpecial, t -> {}).tokens();
            String response = tokenizer.decode(tokens);
            int pred = OptionLetters.first(response, e.choices().size());
            if (pred < 0) unanswered++;
            if (pred == e.gold()) correct++;
            outcomes.add(new ExampleOutcome(e.gold(), pred, -1, null, null, response));
            progress.update(i + 1, task.examples().size());
        }
        int n = task.examples().size();
        return new TaskResult(task.name(), task.source(), "generative", task.chance(), new Proportion(correct, n), null,
                unanswered, truncated, (System.nanoTime() - t0) / 1e9, outcomes);
    }

    /**
     * {@code length} tokens: the end of the prompt, where the options and the answer cue are, with its first token
     * replaced by BOS when the model adds BOS.
     */
    private int[] keepEnd(int[] prompt, int length) {
        int[] tail = Arrays.copyOfRange(prompt, prompt.length - length, prompt.length);
        if (!tokenizer.addBos() || tokenizer.bos() < 0) return tail;
        tail[0] = tokenizer.bos();
        return tail;
    }

    private int[] withBos(int[] ids) {
        if (!tokenizer.addBos() || tokenizer.bos() < 0) return ids;
        int[] out = new int[ids.length + 1];
        out[0] = tokenizer.bos();
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }
}
