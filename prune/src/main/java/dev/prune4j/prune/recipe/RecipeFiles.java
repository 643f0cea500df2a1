package dev.prune4j.prune.recipe;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
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

    /** A post-training (sparsity) recipe. */
    public static PruneRecipe read(Path file) throws IOException {
        return read(file, PruneRecipe.class, "post-training sparsity");
    }

    /** A structured recipe: the same format, with the fields of {@link StructuredRecipe}. */
    public static StructuredRecipe readStructured(Path file) throws IOException {
        return read(file, StructuredRecipe.class, "structured pruning");
    }

    /**
     * The {@code method} a recipe file names, or null when it names none: which of the two recipe kinds it is.
     */
    public static String method(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "recipe not found");
        try {
            JsonNode root = mapper(file).readTree(file.toFile());
            JsonNode m = root == null ? null : root.get("method");
            return m == null || m.isNull() ? null : m.asText();
        } catch (JacksonException e) {
            throw new IllegalArgumentException("recipe " + file + " is not valid: " + e.getOriginalMessage());
        }
    }

    private static <T> T read(Path file, Class<T> type, String kind) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "recipe not found");
        try {
            T r = mapper(file).readValue(file.toFile(), type);
            if (r == null) throw new IllegalArgumentException("recipe " + file + " is empty");
            return r;
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("recipe " + file + ": field '" + e.getPropertyName() + "' does not apply to "
                    + kind + "; its fields are " + e.getKnownPropertyIds());
        } catch (JacksonException e) {
            throw new IllegalArgumentException("recipe " + file + " is not valid: " + e.getOriginalMessage());
        }
    }

    /** A per-layer list (sparsities, or structured ratios): a YAML/JSON array of numbers. */
    public static List<Double> readLayerList(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "allocation file not found");
        try {
            return List.of(mapper(file).readValue(file.toFile(), Double[].class));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("allocation file " + file + " must be a list of per-layer sparsities: "
                    + e.getOriginalMessage());
        }
    }

    /** A recipe (either kind) as YAML, the way {@code recipe.yaml} records it. */
    public static String toYaml(Object recipe) {
        try {
            return YAML.writeValueAsString(recipe);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(Path file, Object recipe) throws IOException {
        mapper(file).writeValue(file.toFile(), recipe);
    }

    private static ObjectMapper mapper(Path file) {
        return file.getFileName().toString().toLowerCase().endsWith(".json") ? JSON : YAML;
    }
}
