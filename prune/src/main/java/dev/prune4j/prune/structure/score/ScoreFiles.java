package dev.prune4j.prune.structure.score;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.StructureScores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Score files: one JSON document with the scores, their source (method, options, model, calibration) and the side
 * data, so that several targets can be cut from one calibration. Floats are written in their shortest exact form, so a
 * loaded file gives the very same plan as the run that wrote it.
 */
public final class ScoreFiles {
    public static final String FORMAT = "prune4j-structure-scores";
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The document as written. */
    private record Document(String format, int version, ScoreSource source, StructureScores scores,
                            Map<String, float[][]> sideData) {}

    private ScoreFiles() {}

    /** Writes {@code set} to {@code file} (through a temporary file, renamed when complete). */
    public static void save(Path file, ScoreSet set) throws IOException {
        checkFinite(set);
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), new Document(FORMAT, VERSION, set.source(), set.scores(), set.sideData()));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a score file.
     *
     * @throws IOException naming the file when it is not a prune4j score file of a known version
     */
    public static ScoreSet load(Path file) throws IOException {
        Document d;
        try {
            d = JSON.readValue(file.toFile(), Document.class);
        } catch (JacksonException e) {
            throw new IOException(file + ": not a readable score file: " + e.getOriginalMessage(), e);
        }
        if (!FORMAT.equals(d.format())) {
            throw new IOException(file + ": format is \"" + d.format() + "\", expected \"" + FORMAT + "\"");
        }
        if (d.version() != VERSION) {
            throw new IOException(file + ": score file version " + d.version() + ", this prune4j reads version " + VERSION);
        }
        if (d.scores() == null || d.source() == null) throw new IOException(file + ": no \"scores\" or \"source\"");
        return new ScoreSet(d.scores(), d.source(), d.sideData());
    }

    /** Reads a score file and checks that it fits {@code config} (layer count and every per-layer width). */
    public static ScoreSet load(Path file, ModelConfig config) throws IOException {
        ScoreSet s = load(file);
        s.checkFits(config, file.toString());
        return s;
    }

    private static void checkFinite(ScoreSet set) {
        StructureScores s = set.scores();
        check("queryHeads", s.queryHeads());
        check("kvHeads", s.kvHeads());
        check("ffnChannels", s.ffnChannels());
        if (s.hiddenChannels() != null) check("hiddenChannels", new float[][] {s.hiddenChannels()});
        if (s.layers() != null) check("layers", new float[][] {s.layers()});
        set.sideData().forEach(ScoreFiles::check);
    }

    private static void check(String what, float[][] a) {
        if (a == null) return;
        for (int l = 0; l < a.length; l++) {
            for (int i = 0; i < a[l].length; i++) {
                if (!Float.isFinite(a[l][i])) {
                    throw new IllegalArgumentException("score " + what + "[" + l + "][" + i + "] is " + a[l][i]
                            + "; only finite scores can be saved");
                }
            }
        }
    }
}
