package dev.prune4j.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 of files and model directories, as reports identify the exact model and data they measured. */
public final class Sha256 {
    private Sha256() {}

    /**
     * A file's sha256 (what {@code sha256sum} prints). For a directory (a Hugging Face model): the sha256 of the lines
     * {@code "<sha256>  <relative path>\n"} of its regular files, sorted by path, i.e. of {@code sha256sum}'s output.
     */
    public static String of(Path path) throws IOException {
        if (!Files.isDirectory(path)) return file(path);
        List<Path> files;
        try (var walk = Files.walk(path)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        StringBuilder listing = new StringBuilder();
        for (Path f : files) {
            listing.append(file(f)).append("  ").append(path.relativize(f).toString().replace('\\', '/')).append('\n');
        }
        return HexFormat.of().formatHex(digest().digest(listing.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static String file(Path file) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
