package dev.prune4j.eval.zeroshot.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a corpus split into documents (separated by a blank line, as {@code make-text-splits.mjs} joins them) and
 * each document into sentences with whitespace collapsed. A sentence ends at a word ending in {@code . ! ?}
 * (optionally followed by closing quotes or brackets) when the next word starts with a capital letter or an opening
 * quote, or at the end of a line. Titles and other common abbreviations, single-letter initials ("John F. Kennedy")
 * and words with an inner period ("U.S.") do not end a sentence.
 */
public final class Sentences {
    private static final Set<String> ABBREVIATIONS = Set.of(
            "Mr", "Mrs", "Ms", "Messrs", "Dr", "St", "Jr", "Sr", "Gen", "Gov", "Col", "Capt", "Lt", "Maj", "Sgt", "Adm",
            "Hon", "Rev", "Prof", "Sen", "Rep", "No", "Nos", "Vol", "Art", "Sec", "Jan", "Feb", "Mar", "Apr", "Aug",
            "Sept", "Sep", "Oct", "Nov", "Dec", "Co", "Corp", "Inc", "Ltd", "vs", "viz", "cf", "Ft", "Mt");

    private Sentences() {}

    /** Per document, its sentences in order. */
    public static List<List<String>> split(String text) {
        List<List<String>> docs = new ArrayList<>();
        for (String doc : text.split("\n\n")) {
            List<String> sentences = new ArrayList<>();
            for (String line : doc.split("\n")) sentences.addAll(splitLine(line));
            if (!sentences.isEmpty()) docs.add(sentences);
        }
        return docs;
    }

    static List<String> splitLine(String line) {
        String[] words = line.trim().split("\\s+");
        List<String> out = new ArrayList<>();
        StringBuilder sentence = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            if (words[i].isEmpty()) continue;
            if (!sentence.isEmpty()) sentence.append(' ');
            sentence.append(words[i]);
            boolean last = i == words.length - 1;
            if (last || endsSentence(words[i], words[i + 1])) {
                out.add(sentence.toString());
                sentence.setLength(0);
            }
        }
        return out;
    }

    static boolean endsSentence(String word, String next) {
        String core = word.replaceAll("[\"'”’)\\]]+$", "");
        if (core.isEmpty()) return false;
        char end = core.charAt(core.length() - 1);
        if (end != '.' && end != '!' && end != '?') return false;
        if (end == '.') {
            String stem = core.substring(0, core.length() - 1).replaceAll("^[\"'“‘(\\[]+", "");
            if (ABBREVIATIONS.contains(stem)) return false;
            if (stem.length() == 1 && Character.isUpperCase(stem.charAt(0))) return false;
            if (stem.contains(".")) return false;
        }
        String nextCore = next.replaceAll("^[\"'“‘(\\[]+", "");
        return !nextCore.isEmpty() && Character.isUpperCase(nextCore.charAt(0));
    }
}
