package dev.prune4j.train.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.prune4j.model.AtomicFiles;
import dev.prune4j.model.ModelFormatException;
import dev.prune4j.model.safetensors.SafetensorsDtype;
import dev.prune4j.model.safetensors.SafetensorsFile;
import dev.prune4j.model.safetensors.SafetensorsWriter;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.data.BatchSampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resumable snapshot of a run in one directory: the trained tensors ({@code parameters.safetensors}, F32), the
 * AdamW moments ({@code optimizer.safetensors}), and {@code state.json} with the step, the RNG state, the data
 * position, the loss history and the run's settings. The directory is written beside the target and swapped in
 * whole, so a crash leaves the previous checkpoint intact.
 */
public final class Checkpoint {
    public static final String STATE = "state.json";
    public static final String PARAMETERS = "parameters.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a checkpoint holds. {@code settings} are the run's options, compared on resume. */
    public record Contents(Trainer.State state, Map<String, float[]> parameters, Map<String, float[]> optimizer,
                           List<Trainer.StepResult> history, Map<String, Object> settings) {}

    private Checkpoint() {}

    public static void save(Path dir, Trainer trainer, List<Trainer.StepResult> history, Map<String, Object> settings) throws IOException {
        Files.createDirectories(dir.toAbsolutePath().getParent());
        Path tmp = AtomicFiles.newTempDirectory(dir);
        try {
            List<SafetensorsWriter.Tensor> params = new ArrayList<>();
            for (Tensor t : trainer.parameters()) params.add(f32(t.name(), t.data(), t.shape()));
            SafetensorsWriter.write(tmp.resolve(PARAMETERS), Map.of("format", "pt"), params);
            List<SafetensorsWriter.Tensor> moments = new ArrayList<>();
            for (Map.Entry<String, float[]> e : trainer.optimizerState().entrySet()) {
                moments.add(f32(e.getKey(), e.getValue(), new int[] {e.getValue().length}));
            }
            SafetensorsWriter.write(tmp.resolve(OPTIMIZER), Map.of("format", "pt"), moments);
            Trainer.State s = trainer.state();
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("step", s.step());
            state.put("rng_state", s.rngState());
            state.put("data_epoch", s.data().epoch());
            state.put("data_cursor", s.data().cursor());
            state.put("optimizer_steps", s.optimizerSteps());
            state.put("settings", settings);
            state.put("history", history);
            JSON.writeValue(tmp.resolve(STATE).toFile(), state);
            swapIn(tmp, dir);
        } finally {
            AtomicFiles.deleteRecursively(tmp);
        }
    }

    public static Contents load(Path dir) throws IOException {
        Path stateFile = dir.resolve(STATE);
        if (!Files.isRegularFile(stateFile)) throw new NoSuchFileException(stateFile.toString(), null, "no checkpoint to resume");
        Map<String, Object> s = JSON.readValue(stateFile.toFile(), new TypeReference<>() {});
        for (String key : List.of("step", "rng_state", "data_epoch", "data_cursor", "optimizer_steps", "settings", "history")) {
            if (!s.containsKey(key)) throw new ModelFormatException(stateFile + ": missing key \"" + key + "\"");
        }
        Trainer.State state = new Trainer.State(((Number) s.get("step")).intValue(), ((Number) s.get("rng_state")).longValue(),
                new BatchSampler.Position(((Number) s.get("data_epoch")).intValue(), ((Number) s.get("data_cursor")).intValue()),
                ((Number) s.get("optimizer_steps")).longValue());
        List<Trainer.StepResult> history = JSON.convertValue(s.get("history"), new TypeReference<>() {});
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) s.get("settings");
        return new Contents(state, readAll(dir.resolve(PARAMETERS)), readAll(dir.resolve(OPTIMIZER)), history, settings);
    }

    private static Map<String, float[]> readAll(Path file) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.tensors().keySet()) out.put(name, f.readFloats(name));
        }
        return out;
    }

    private static SafetensorsWriter.Tensor f32(String name, float[] data, int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = shape[i];
        return new SafetensorsWriter.Tensor(name, s, SafetensorsDtype.F32, data);
    }

    /** Replaces {@code dir} by {@code tmp}: the old directory is moved aside first and deleted only after the swap. */
    private static void swapIn(Path tmp, Path dir) throws IOException {
        Path old = null;
        if (Files.exists(dir)) {
            old = AtomicFiles.newTempDirectory(dir);
            Files.delete(old);
            Files.move(dir, old);
        }
        Files.move(tmp, dir);
        if (old != null) AtomicFiles.deleteRecursively(old);
    }
}
