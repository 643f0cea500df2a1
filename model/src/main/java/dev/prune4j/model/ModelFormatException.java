package dev.prune4j.model;

import java.nio.file.Path;

/** A model file or config that cannot be used; the message names the file and, where known, the tensor or key. */
public class ModelFormatException extends RuntimeException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    public static ModelFormatException of(Path file, String what) {
        return new ModelFormatException(file + ": " + what);
    }
}
