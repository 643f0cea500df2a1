package dev.prune4j.eval.zeroshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.eval.Sha256;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a multiple-choice task from JSONL, one example per line, in the shape lm-evaluation-harness's
 * {@code multiple_choice} tasks hand to the model after their {@code process_docs}/{@code doc_to_*} step:
 * <pre>{"context": "...", "choices": ["...", "..."], "gold": 1}</pre>
 * The context may also be named {@code query} or {@code ctx}, the choices {@code endings}, and the answer
 * {@code label} or {@code answer}. The answer is an index (a number or a numeric string), the text of one choice,
 * or a capital letter A, B, ... Blank lines are skipped.
 */
public final class JsonlTasks {
    static final String INSTRUCTION = "Choose the option that best answers or continues the text.";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonlTasks() {}

    /** The task in {@code file}, named after the file without its {@code .jsonl} extension. */
    public static Task read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "task file not found");
        List<Example> examples = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) continue;
                examples.add(parse(line, file + ":" + lineNo));
            }
        }
        if (examples.isEmpty()) throw new IllegalArgumentException(file + " holds no examples");
        String name = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
        return new Task(name, file + " (sha256 " + Sha256.of(file) + ")", INSTRUCTION, examples);
    }

    static Example parse(String line, String where) {
        JsonNode n;
        try {
            n = MAPPER.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (n == null || !n.isObject()) throw new IllegalArgumentException(where + ": expected a JSON object per line");
        JsonNode context = field(n, where, "context", "query", "ctx");
        JsonNode choicesNode = field(n, where, "choices", "endings");
        JsonNode answer = field(n, where, "gold", "label", "answer");
        if (!context.isTextual()) throw new IllegalArgumentException(where + ": the context must be a string");
        if (!choicesNode.isArray()) throw new IllegalArgumentException(where + ": the choices must be a list of strings");
        List<String> choices = new ArrayList<>();
        for (JsonNode c : choicesNode) {
            if (!c.isTextual()) throw new IllegalArgumentException(where + ": every choice must be a string, got " + c);
            choices.add(c.asText());
        }
        try {
            return new Example(context.asText(), choices, goldIndex(answer, choices, where));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static JsonNode field(JsonNode n, String where, String... names) {
        for (String name : names) {
            if (n.has(name)) return n.get(name);
        }
        throw new IllegalArgumentException(where + ": missing field " + String.join(" / ", names));
    }

    private static int goldIndex(JsonNode answer, List<String> choices, String where) {
        if (answer.isIntegralNumber()) return answer.asInt();
        if (answer.isTextual()) {
            String a = answer.asText();
            if (a.matches("\\d+")) return Integer.parseInt(a);
            int byText = choices.indexOf(a);
            if (byText >= 0) return byText;
            if (a.length() == 1 && a.charAt(0) >= 'A' && a.charAt(0) < 'A' + choices.size()) return a.charAt(0) - 'A';
        }
        throw new IllegalArgumentException(where + ": the answer " + answer + " is neither an index, a choice's text nor an option letter");
    }
}
