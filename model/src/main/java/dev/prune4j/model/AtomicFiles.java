package dev.prune4j.model;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Write-then-rename helpers for the model writers: output goes to a hidden temporary sibling of the target and is
 * renamed into place only when complete, so a failed write never leaves a half-written model where a good one is expected.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Creates an empty hidden file beside {@code target}. Unlike {@code Files.createTempFile} (mode 0600) it gets the
     * usual permissions, so the renamed model is readable as any other file the user writes.
     */
    public static Path newTempFile(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        while (true) {
            try {
                return Files.createFile(dir.resolve(tempName(target)));
            } catch (FileAlreadyExistsException e) {
                // another name is drawn
            }
        }
    }

    /** Creates an empty hidden directory beside {@code target} (for multi-file outputs). */
    public static Path newTempDirectory(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        while (true) {
            try {
                return Files.createDirectory(dir.resolve(tempName(target)));
            } catch (FileAlreadyExistsException e) {
                // another name is drawn
            }
        }
    }

    /** Renames {@code tmp} to {@code target} atomically, replacing an existing file. */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes a file or a directory tree if it exists (clean-up after a failure). */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) return;
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static String tempName(Path target) {
        return "." + target.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp";
    }
}
