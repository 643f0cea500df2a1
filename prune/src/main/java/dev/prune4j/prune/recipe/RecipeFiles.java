package dev.prune4j.prune.recipe;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads and writes recipes and per-layer lists as YAML or JSON (JSON by the {@code .json} extension). */
public final class RecipeFiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RecipeFiles() {}

    public static PruneRecipe read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "recipe not found");
        try {
            PruneRecipe r = mapper(file).readValue(file.toFile(), PruneRecipe.class);
            if (r == null) throw new IllegalArgumentException("recipe " + file + " is empty");
            return r;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("recipe " + file + " is not valid: " + e.getOriginalMessage());
        }
    }

    /** A per-layer sparsity list: a YAML/JSON array of numbers. */
    public static List<Double> readLayerList(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "allocation file not found");
        try {
            return List.of(mapper(file).readValue(file.toFile(), Double[].class));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("allocation file " + file + " must be a list of per-layer sparsities: "
                    + e.getOriginalMessage());
        }
    }

    public static String toYaml(PruneRecipe recipe) {
        try {
            return YAML.writeValueAsString(recipe);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(Path file, PruneRecipe recipe) throws IOException {
        mapper(file).writeValue(file.toFile(), recipe);
    }

    private static ObjectMapper mapper(Path file) {
        return file.getFileName().toString().toLowerCase().endsWith(".json") ? JSON : YAML;
    }
}
