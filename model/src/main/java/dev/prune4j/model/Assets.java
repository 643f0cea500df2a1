package dev.prune4j.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where fetched assets live. {@code scripts/fetch-assets.sh} fills the cache ({@code $PRUNE4J_CACHE}, default
 * {@code ~/.cache/prune4j}); {@code ../shared} beside the project holds the tiny test model on developer and CI
 * machines only.
 */
public final class Assets {
    public static final String SMOLLM2_Q4_1 = "SmolLM2-135M-Instruct.Q4_1.gguf";
    public static final String GEMMA3_Q4_K_M = "gemma-3-270m-q4_k_m.gguf";
    public static final String STORIES260K = "stories260K-f32.gguf";

    private Assets() {}

    public static Path cacheDir() {
        String env = System.getenv("PRUNE4J_CACHE");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".cache", "prune4j");
    }

    /** A fetched model file in the cache (it may not exist yet). */
    public static Path model(String fileName) {
        return cacheDir().resolve("models").resolve(fileName);
    }

    /** A fetched text file in the cache, e.g. {@code data("sotu/test.txt")}. */
    public static Path data(String relative) {
        return cacheDir().resolve("data").resolve(relative);
    }

    /**
     * A model argument: the short names {@code smollm2}, {@code gemma3} and {@code stories260k} name the fetched
     * default models; anything else is a path.
     */
    public static Path resolveModel(String arg) {
        return switch (arg) {
            case "smollm2" -> model(SMOLLM2_Q4_1);
            case "gemma3" -> model(GEMMA3_Q4_K_M);
            case "stories260k" -> stories260K().orElse(Path.of(STORIES260K));
            default -> Path.of(arg);
        };
    }

    /**
     * A text argument: {@code CORPUS:SPLIT} ({@code sotu:test}, {@code brown:validation}, ...) names a fetched split;
     * anything else is a path.
     */
    public static Path resolveText(String arg) {
        if (arg.matches("(sotu|brown):(calibration|validation|test)")) {
            String[] p = arg.split(":");
            return data(p[0] + "/" + p[1] + ".txt");
        }
        return Path.of(arg);
    }

    /** The project root: {@code -Dprune4j.root} (set by Maven for tests), else the working directory. */
    public static Path projectRoot() {
        return Path.of(System.getProperty("prune4j.root", ".")).toAbsolutePath().normalize();
    }

    /** {@code ../shared/models} beside the project, when present (developer and CI machines). */
    public static Optional<Path> sharedModels() {
        Path p = projectRoot().resolveSibling("shared").resolve("models");
        return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }

    /** stories260K from {@code ../shared/models}, when present. */
    public static Optional<Path> stories260K() {
        return sharedModels().map(p -> p.resolve(STORIES260K)).filter(Files::isRegularFile);
    }
}
