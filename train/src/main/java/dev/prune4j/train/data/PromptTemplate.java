package dev.prune4j.train.data;

/**
 * How an instruction becomes a prompt: {@code {instruction}} and {@code {input}} are replaced by the example's
 * fields, and the response follows the prompt directly. Examples with an input use {@code withInput}.
 */
public record PromptTemplate(String withInput, String withoutInput) {
    /** The Alpaca template (used by PAT and LLM-Pruner's recovery tuning). */
    public static final PromptTemplate ALPACA = new PromptTemplate(
            "Below is an instruction that describes a task, paired with an input that provides further context. "
                    + "Write a response that appropriately completes the request.\n\n"
                    + "### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n",
            "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n"
                    + "### Instruction:\n{instruction}\n\n### Response:\n");

    /** One template for both cases; {@code \n} written as backslash-n is read as a newline. */
    public static PromptTemplate of(String template) {
        String t = template.replace("\\n", "\n");
        if (!t.contains("{instruction}")) throw new IllegalArgumentException("prompt template must contain {instruction}: " + template);
        return new PromptTemplate(t, t);
    }

    public String render(String instruction, String input) {
        boolean hasInput = input != null && !input.isEmpty();
        return (hasInput ? withInput : withoutInput).replace("{instruction}", instruction).replace("{input}", hasInput ? input : "");
    }
}
