package dev.prune4j.train.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.tokenizer.Tokenizer;
import dev.prune4j.train.loss.CrossEntropyLoss;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Instruction data as JSON lines ({@code instruction}, optional {@code input}, {@code output}; or {@code prompt} and
 * {@code response}). Each example is {@code [BOS] prompt response EOS}, cut to {@code maxLen + 1} tokens, and only the
 * response tokens and EOS are trained: prompt positions get {@link CrossEntropyLoss#IGNORE}.
 */
public final class InstructionData {
    /** What loading kept and dropped. */
    public record Loaded(List<Example> examples, int lines, int withoutResponseTokens) {}

    private InstructionData() {}

    public static Loaded load(Path jsonl, Tokenizer tokenizer, PromptTemplate template, int maxLen) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Example> out = new ArrayList<>();
        int lineNo = 0, dropped = 0;
        try (BufferedReader r = Files.newBufferedReader(jsonl)) {
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) continue;
                JsonNode j;
                try {
                    j = json.readTree(line);
                } catch (IOException e) {
                    throw new IllegalArgumentException(jsonl + ":" + lineNo + ": not a JSON object: " + e.getMessage().lines().findFirst().orElse(""));
                }
                String instruction = field(j, "instruction", "prompt");
                String response = field(j, "output", "response");
                if (instruction == null || response == null) {
                    throw new IllegalArgumentException(jsonl + ":" + lineNo + ": needs \"instruction\" (or \"prompt\") and \"output\" (or \"response\")");
                }
                Example e = example(tokenizer, template.render(instruction, field(j, "input", null)), response, maxLen);
                if (e == null) dropped++; else out.add(e);
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException(jsonl + ": no example with response tokens within " + maxLen + " tokens");
        return new Loaded(out, lineNo, dropped);
    }

    /** The example of one prompt/response pair, or null when truncation leaves no response token. */
    static Example example(Tokenizer tokenizer, String prompt, String response, int maxLen) {
        int[] p = tokenizer.encode(prompt), a = tokenizer.encode(response);
        boolean bos = tokenizer.addBos() && tokenizer.bos() >= 0, eos = tokenizer.eos() >= 0;
        int promptLen = p.length + (bos ? 1 : 0);
        int[] seq = new int[promptLen + a.length + (eos ? 1 : 0)];
        if (bos) seq[0] = tokenizer.bos();
        System.arraycopy(p, 0, seq, bos ? 1 : 0, p.length);
        System.arraycopy(a, 0, seq, promptLen, a.length);
        if (eos) seq[seq.length - 1] = tokenizer.eos();
        seq = Arrays.copyOf(seq, Math.min(seq.length, maxLen + 1));
        if (seq.length <= promptLen) return null;
        int n = seq.length - 1;
        int[] tokens = Arrays.copyOf(seq, n), targets = new int[n];
        for (int i = 0; i < n; i++) targets[i] = i + 1 < promptLen ? CrossEntropyLoss.IGNORE : seq[i + 1];
        return new Example(tokens, targets);
    }

    private static String field(JsonNode j, String name, String alternative) {
        JsonNode v = j.get(name);
        if ((v == null || v.isNull()) && alternative != null) v = j.get(alternative);
        return v == null || v.isNull() ? null : v.asText();
    }
}
