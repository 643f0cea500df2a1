package dev.prune4j.eval.zeroshot;

import dev.prune4j.model.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prompt of generative mode: a text with the placeholders {@code {instruction}}, {@code {question}} (the
 * example's context) and {@code {options}} (one line {@code "A. choice"} per choice). Control-token texts of the
 * model's vocabulary in the template (such as ChatML's {@code <|im_start|>}) become those tokens; the filled-in
 * example text never does, so data cannot inject turn markers.
 *
 * @param name short name for reports ({@code plain}, {@code chatml} or the file it was read from)
 * @param text the template
 */
public record PromptTemplate(String name, String text) {
    /** A base model's prompt: the lettered options, then "Answer:". */
    public static final PromptTemplate PLAIN = new PromptTemplate("plain",
            "{instruction}\n\n{question}\n\n{options}\nAnswer:");

    /** The ChatML turn layout of SmolLM2-Instruct, Qwen and others, without a system turn. */
    public static final PromptTemplate CHATML = new PromptTemplate("chatml",
            "<|im_start|>user\n{instruction}\n\n{question}\n\n{options}\nAnswer with the letter of the correct option.<|im_end|>\n"
                    + "<|im_start|>assistant\n");

    private static final String[] PLACEHOLDERS = {"{instruction}", "{question}", "{options}"};

    public PromptTemplate {
        if (!text.contains("{question}") || !text.contains("{options}")) {
            throw new IllegalArgumentException("template " + name + " must contain {question} and {options}");
        }
    }

    /** {@link #CHATML} when the vocabulary has a control token {@code <|im_start|>}, else {@link #PLAIN}. */
    public static PromptTemplate forModel(Tokenizer tokenizer) {
        return controlTokens(tokenizer).containsKey("<|im_start|>") ? CHATML : PLAIN;
    }

    /** "A. first\nB. second\n..." */
    static String options(List<String> choices) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < choices.size(); i++) {
            if (i > 0) sb.append('\n');
            sb.append(OptionLetters.letter(i)).append(". ").append(choices.get(i));
        }
        return sb.toString();
    }

    /** The vocabulary's control tokens whose text occurs in this template: text → id. */
    public Map<String, Integer> controlTokensIn(Tokenizer tokenizer) {
        Map<String, Integer> m = new HashMap<>(controlTokens(tokenizer));
        m.keySet().removeIf(t -> t.isEmpty() || !text.contains(t));
        return m;
    }

    /**
     * Token ids of the filled-in prompt, without BOS.
     *
     * @param control {@link #controlTokensIn} of the same tokenizer
     */
    public int[] encode(Tokenizer tokenizer, Map<String, Integer> control, String instruction, Example e) {
        Map<String, String> values = Map.of("{instruction}", instruction, "{question}", e.context(), "{options}", options(e.choices()));
        List<Integer> ids = new ArrayList<>();
        StringBuilder plain = new StringBuilder();
        String[] controlTexts = control.keySet().toArray(String[]::new);
        int i = 0;
        while (i < text.length()) {
            String placeholder = startsWithAny(text, i, PLACEHOLDERS);
            String control1 = placeholder == null ? startsWithAny(text, i, controlTexts) : null;
            if (placeholder != null) {
                plain.append(values.get(placeholder));
                i += placeholder.length();
            } else if (control1 != null) {
                flush(tokenizer, plain, ids);
                ids.add(control.get(control1));
                i += control1.length();
            } else {
                plain.append(text.charAt(i++));
            }
        }
        flush(tokenizer, plain, ids);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void flush(Tokenizer tokenizer, StringBuilder plain, List<Integer> ids) {
        if (plain.isEmpty()) return;
        for (int id : tokenizer.encode(plain.toString())) ids.add(id);
        plain.setLength(0);
    }

    /** The longest of {@code candidates} that {@code s} holds at {@code at}, or null. */
    private static String startsWithAny(String s, int at, String[] candidates) {
        String best = null;
        for (String c : candidates) {
            if (!c.isEmpty() && s.startsWith(c, at) && (best == null || c.length() > best.length())) best = c;
        }
        return best;
    }

    /** Text → id of the vocabulary's control tokens. */
    private static Map<String, Integer> controlTokens(Tokenizer tokenizer) {
        Map<String, Integer> m = new HashMap<>();
        for (int t = 0; t < tokenizer.vocabSize(); t++) {
            if (tokenizer.isSpecial(t)) m.putIfAbsent(tokenizer.piece(t), t);
        }
        return m;
    }
}
