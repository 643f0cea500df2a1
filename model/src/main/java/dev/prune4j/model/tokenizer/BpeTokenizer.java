package dev.prune4j.model.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rank-based BPE as llama.cpp runs it for GGUF {@code tokenizer.ggml.model = "gpt2"} and as Hugging Face runs
 * {@code model.type = "BPE"}: split the text into words, map each word's UTF-8 bytes to GPT-2's printable stand-ins
 * (byte-level) or keep its characters (byte-fallback vocabularies), then merge adjacent symbols lowest merge rank
 * first. Results are cached per word, which makes multi-megabyte texts cheap: most words repeat. Thread-safe.
 */
public final class BpeTokenizer implements Tokenizer {
    private static final int MAX_CACHED_WORD = 64; // chars; longer words are rare and would bloat the cache
    private static final int MAX_CACHE_ENTRIES = 1 << 20;

    /** What to emit for a final piece that is not a token. */
    enum UnknownPieces {
        /** llama.cpp: each byte's token if it has one (a one-char token, or {@code <0xXX>} without byte-level), else nothing. */
        LLAMA_CPP,
        /** Hugging Face with {@code byte_fallback}: {@code <0xXX>} tokens if all exist, else the unknown token. */
        BYTE_FALLBACK,
        /** Hugging Face without it: the unknown token (consecutive ones fused when {@code fuse_unk}), else nothing. */
        UNKNOWN_TOKEN
    }

    /**
     * How text is prepared and pieces resolved.
     *
     * @param normalizer    applied to each stretch of text between user-defined tokens (none for GGUF)
     * @param preTokenizer  splits normalized text into words; null means the whole stretch is one word
     * @param byteLevel     words are mapped to GPT-2 byte stand-ins before merging, tokens back to bytes on decode
     * @param ignoreMerges  a word that is itself a token is emitted without merging (llama.cpp's ignore_merges)
     * @param cleanSpaces   decode removes spaces before {@code ?!.,} and some apostrophes (llama.cpp's clean_spaces)
     * @param spaceMarker   decode turns ▁ back into spaces (vocabularies that store spaces as ▁)
     * @param stripLeadingSpace decode drops one leading space (the normalizer prepended one)
     */
    record Config(TextNormalizer normalizer, PreTokenizer preTokenizer, boolean byteLevel, boolean ignoreMerges,
                  boolean cleanSpaces, boolean spaceMarker, boolean stripLeadingSpace, UnknownPieces unknownPieces,
                  boolean fuseUnknown, int bos, int eos, int unknown, boolean addBos) {}

    private final Vocabulary vocabulary;
    private final Map<String, Integer> mergeRanks; // "left right" -> rank (position in the merge list)
    private final Config config;
    private final UserDefinedTokenSplitter splitter;
    private final Map<String, int[]> wordCache = new ConcurrentHashMap<>();

    /** @param mergeRanks merge rank by {@code left + " " + right}; the first listing of a pair wins, as in llama.cpp */
    BpeTokenizer(Vocabulary vocabulary, Map<String, Integer> mergeRanks, Config config) {
        this.vocabulary = vocabulary;
        this.mergeRanks = mergeRanks;
        this.config = config;
        this.splitter = new UserDefinedTokenSplitter(vocabulary);
    }

    @Override
    public int[] encode(String text) {
        IntList out = new IntList(Math.max(16, text.length() / 3));
        for (UserDefinedTokenSplitter.Fragment f : splitter.split(text)) {
            if (!f.isText()) {
                out.add(f.token());
                continue;
            }
            String raw = config.normalizer().normalize(text.substring(f.start(), f.end()), f.start() == 0);
            if (config.preTokenizer() == null) {
                out.addAll(encodeWord(raw));
                continue;
            }
            for (String word : config.preTokenizer().words(raw)) out.addAll(cachedWord(word));
        }
        return out.toArray();
    }

    private int[] cachedWord(String word) {
        if (word.length() > MAX_CACHED_WORD) return encodeWord(word);
        int[] ids = wordCache.get(word);
        if (ids == null) {
            if (wordCache.size() >= MAX_CACHE_ENTRIES) wordCache.clear();
            ids = encodeWord(word);
            wordCache.put(word, ids);
        }
        return ids;
    }

    private int[] encodeWord(String word) {
        String symbols = config.byteLevel() ? ByteLevel.encode(word) : word;
        IntList out = new IntList(8);
        if (config.ignoreMerges()) {
            int id = vocabulary.id(symbols);
            if (id >= 0) return new int[] {id};
        }
        IntList spans = PairMerger.merge(symbols, 0, symbols.length(), (t, start, mid, end) -> {
            String pair = new StringBuilder(end - start + 1).append(t, start, mid).append(' ').append(t, mid, end).toString();
            Integer rank = mergeRanks.get(pair);
            return rank == null ? PairMerger.NO_MERGE : rank;
        });
        for (int i = 0; i < spans.size(); i += 2) {
            String piece = symbols.substring(spans.get(i), spans.get(i + 1));
            int id = vocabulary.id(piece);
            if (id >= 0) out.add(id);
            else unknownPiece(piece, out);
        }
        return out.toArray();
    }

    private void unknownPiece(String piece, IntList out) {
        switch (config.unknownPieces()) {
            case LLAMA_CPP -> {
                if (config.byteLevel()) {
                    // llama.cpp looks up each UTF-8 byte as a one-byte string: only ASCII can match a token
                    for (int i = 0; i < piece.length(); i++) {
                        char c = piece.charAt(i);
                        int id = c < 0x80 ? vocabulary.id(String.valueOf(c)) : -1;
                        if (id >= 0) out.add(id);
                    }
                } else {
                    for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                        int id = vocabulary.byteToken(b & 0xff);
                        if (id >= 0) out.add(id);
                    }
                }
            }
            case BYTE_FALLBACK -> {
                byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
                int[] ids = new int[bytes.length];
                boolean all = true;
                for (int i = 0; i < bytes.length && all; i++) {
                    ids[i] = vocabulary.byteToken(bytes[i] & 0xff);
                    all = ids[i] >= 0;
                }
                if (all) out.addAll(ids);
                else addUnknown(out);
            }
            case UNKNOWN_TOKEN -> addUnknown(out);
        }
    }

    private void addUnknown(IntList out) {
        if (config.unknown() < 0) return;
        if (config.fuseUnknown() && out.size() > 0 && out.get(out.size() - 1) == config.unknown()) return;
        out.add(config.unknown());
    }

    @Override
    public String decode(int[] tokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(tokens.length * 4);
        for (int token : tokens) {
            vocabulary.checkId(token);
            byte[] piece = pieceBytes(token);
            int skip = config.stripLeadingSpace() && bytes.size() == 0 && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
            bytes.write(piece, skip, piece.length - skip);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        return config.cleanSpaces() ? SpaceCleanup.apply(text) : text;
    }

    /** What llama.cpp's token_to_piece writes for one token with special = false. */
    private byte[] pieceBytes(int token) {
        String piece = vocabulary.piece(token);
        if (vocabulary.isSpecial(token)) return new byte[0];
        if (vocabulary.has(token, TokenAttributes.USER_DEFINED)) return piece.getBytes(StandardCharsets.UTF_8);
        if (vocabulary.has(token, TokenAttributes.NORMAL)) {
            if (config.byteLevel()) return byteLevelDecode(piece);
            String text = config.spaceMarker() ? piece.replace('\u2581', ' ') : piece;
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (vocabulary.has(token, TokenAttributes.BYTE)) {
            int b = vocabulary.byteValue(token);
            return b < 0 ? new byte[0] : new byte[] {(byte) b};
        }
        return new byte[0];
    }

    /** Stand-ins back to bytes; a code point that is no stand-in is written as llama.cpp's {@code [UNK_BYTE_0x…]}. */
    private static byte[] byteLevelDecode(String piece) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(piece.length());
        piece.codePoints().forEach(cp -> {
            int b = ByteLevel.byteOf(cp);
            if (b >= 0) {
                out.write(b);
                return;
            }
            StringBuilder unk = new StringBuilder("[UNK_BYTE_0x");
            for (byte u : Character.toString(cp).getBytes(StandardCharsets.UTF_8)) unk.append(String.format("%02x", u & 0xff));
            unk.append(piece).append(']');
            out.writeBytes(unk.toString().getBytes(StandardCharsets.UTF_8));
        });
        return out.toByteArray();
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
        return config.bos();
    }

    @Override
    public int eos() {
        return config.eos();
    }

    @Override
    public boolean addBos() {
        return config.addBos();
    }
}
