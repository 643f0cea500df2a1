package dev.prune4j.model.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SentencePiece BPE as llama.cpp runs it for GGUF {@code tokenizer.ggml.model = "llama"}: spaces become ▁ (U+2581),
 * an optional ▁ goes in front, then adjacent symbols merge highest-score-first whenever their concatenation is a
 * token, and any piece left that is not a token falls back to its UTF-8 bytes as {@code <0xXX>} tokens.
 * llama.cpp has no pre-tokenization: a whole text fragment is one merge problem. We cut it only where no token
 * could span the cut, which gives the same result and lets repeated parts (words, mostly) come from a cache.
 * Thread-safe.
 */
public final class SentencePieceBpe implements Tokenizer {
    private static final char SPACE_MARKER = '\u2581';

    private static final int MAX_CACHED_PART = 64; // chars
    private static final int MAX_CACHE_ENTRIES = 1 << 20;

    private final Vocabulary vocabulary;
    private final UserDefinedTokenSplitter splitter;
    private final CodepointPairs innerPairs;
    private final Map<String, int[]> partCache = new ConcurrentHashMap<>();
    private final boolean addSpacePrefix;
    private final int bos;
    private final int eos;
    private final int unknown;
    private final boolean addBos;

    /**
     * @param addSpacePrefix put ▁ in front of the text and after each user-defined token
     *                       ({@code tokenizer.ggml.add_space_prefix})
     * @param unknown        the unknown token, used only when a byte has no {@code <0xXX>} token; -1 if none
     */
    SentencePieceBpe(Vocabulary vocabulary, boolean addSpacePrefix, int bos, int eos, int unknown, boolean addBos) {
        this.vocabulary = vocabulary;
        this.splitter = new UserDefinedTokenSplitter(vocabulary);
        this.innerPairs = new CodepointPairs(vocabulary);
        this.addSpacePrefix = addSpacePrefix;
        this.bos = bos;
        this.eos = eos;
        this.unknown = unknown;
        this.addBos = addBos;
    }

    @Override
    public int[] encode(String text) {
        IntList out = new IntList(Math.max(16, text.length() / 3));
        boolean afterToken = true; // the text start counts as "after a token" for the space prefix
        for (UserDefinedTokenSplitter.Fragment f : splitter.split(text)) {
            if (!f.isText()) {
                out.add(f.token());
                afterToken = true;
                continue;
            }
            String raw = text.substring(f.start(), f.end());
            String escaped = ((addSpacePrefix && afterToken) ? " " + raw : raw).replace(' ', SPACE_MARKER);
            encodeFragment(escaped, out);
            afterToken = false;
        }
        return out.toArray();
    }

    /** Cuts the fragment where no merge can cross ({@link CodepointPairs}) and merges each part, cached. */
    private void encodeFragment(String text, IntList out) {
        int partStart = 0;
        int prev = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (prev >= 0 && !innerPairs.contains(prev, cp)) {
                out.addAll(cachedPart(text.substring(partStart, i)));
                partStart = i;
            }
            prev = cp;
            i += Character.charCount(cp);
        }
        if (partStart < text.length()) out.addAll(cachedPart(text.substring(partStart)));
    }

    private int[] cachedPart(String part) {
        if (part.length() > MAX_CACHED_PART) return mergePart(part);
        int[] ids = partCache.get(part);
        if (ids == null) {
            if (partCache.size() >= MAX_CACHE_ENTRIES) partCache.clear();
            ids = mergePart(part);
            partCache.put(part, ids);
        }
        return ids;
    }

    private int[] mergePart(String text) {
        IntList out = new IntList(8);
        IntList spans = PairMerger.merge(text, 0, text.length(), (t, start, mid, end) -> {
            int id = vocabulary.id(t.substring(start, end));
            if (id < 0) return PairMerger.NO_MERGE;
            float negated = -vocabulary.score(id);
            return PairMerger.sortable(negated == 0f ? 0f : negated); // -0.0 and 0.0 tie, as in llama.cpp
        });
        for (int i = 0; i < spans.size(); i += 2) {
            String piece = text.substring(spans.get(i), spans.get(i + 1));
            int id = vocabulary.id(piece);
            if (id >= 0) out.add(id);
            else for (byte b : piece.getBytes(StandardCharsets.UTF_8)) out.add(byteToken(b & 0xff));
        }
        return out.toArray();
    }

    /** {@code <0xXX>}, else the byte as a one-character token (llama.cpp's fallback), else the unknown token. */
    private int byteToken(int b) {
        int id = vocabulary.byteToken(b);
        if (id < 0 && b < 0x80) id = vocabulary.id(String.valueOf((char) b));
        if (id < 0) id = unknown;
        if (id < 0) {
            throw new IllegalStateException(String.format(
                    "vocabulary has neither <0x%02X> nor an unknown token to encode that byte", b));
        }
        return id;
    }

    @Override
    public String decode(int[] tokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(tokens.length * 4);
        boolean stripSpace = addSpacePrefix; // llama.cpp drops one leading space of the first token
        for (int token : tokens) {
            vocabulary.checkId(token);
            byte[] piece = pieceBytes(token);
            int skip = stripSpace && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
            bytes.write(piece, skip, piece.length - skip);
            stripSpace = false;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** What llama.cpp's token_to_piece writes for one token with special = false. */
    private byte[] pieceBytes(int token) {
        if (vocabulary.isSpecial(token)) return new byte[0];
        if (vocabulary.has(token, TokenAttributes.USER_DEFINED)) return vocabulary.piece(token).getBytes(StandardCharsets.UTF_8);
        if (vocabulary.has(token, TokenAttributes.NORMAL)) {
            return vocabulary.piece(token).replace(SPACE_MARKER, ' ').getBytes(StandardCharsets.UTF_8);
        }
        if (vocabulary.has(token, TokenAttributes.BYTE)) {
            int b = vocabulary.byteValue(token);
            return b < 0 ? new byte[0] : new byte[] {(byte) b};
        }
        return new byte[0]; // unused and undefined tokens render as nothing
    }

    @Override
    public String piece(int token) {
        vocabulary.checkId(token);
        return vocabulary.piece(token);
    }

    @Override
    public boolean isSpecial(int token) {
        vocabulary.checkId(token);
        return vocabulary.isSpecial(token);
    }

    @Override
    public int vocabSize() {
        return vocabulary.size();
    }

    @Override
    public int bos() {
        return bos;
    }

    @Override
    public int eos() {
        return eos;
    }

    @Override
    public boolean addBos() {
        return addBos;
    }
}
