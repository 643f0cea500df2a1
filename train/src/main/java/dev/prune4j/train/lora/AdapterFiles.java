package dev.prune4j.train.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.prune4j.model.AtomicFiles;
import dev.prune4j.model.ModelFormatException;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.export.RopePermutation;
import dev.prune4j.model.safetensors.SafetensorsDtype;
import dev.prune4j.model.safetensors.SafetensorsFile;
import dev.prune4j.model.safetensors.SafetensorsTensorInfo;
import dev.prune4j.model.safetensors.SafetensorsWriter;
import dev.prune4j.tensor.kernels.Rope;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.nn.Decoder;
import dev.prune4j.train.nn.LinearModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LoRA adapters in PEFT's layout: {@code adapter_model.safetensors} with tensors named
 * {@code base_model.model.<module>.lora_A.weight} ([r, in]) and {@code .lora_B.weight} ([out, r]), and
 * {@code adapter_config.json}. Modules are named as in the Hugging Face checkpoint, and q/k rows are in its order: for
 * GGUF "llama" weights (adjacent RoPE pairs) lora_B of q_proj and k_proj is permuted as the HF exporter permutes the
 * base weights, so the adapter applies to the Hugging Face model.
 */
public final class AdapterFiles {
    public static final String WEIGHTS = "adapter_model.safetensors";
    public static final String CONFIG = "adapter_config.json";
    private static final String PREFIX = "base_model.model.";
    private static final Pattern LAYER = Pattern.compile("\\.layers\\.(\\d+)\\.self_attn\\.([qk])_proj$");

    private AdapterFiles() {}

    /** Writes both files into {@code dir} (created if needed), each through a temporary file. */
    public static void save(Path dir, List<LoraAdapter> adapters, LoraConfig config, ModelConfig model, String baseModel)
            throws IOException {
        Files.createDirectories(dir);
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        for (LoraAdapter a : adapters) {
            String base = PREFIX + a.moduleName();
            float[] b = toHfRows(a.moduleName(), a.b().data(), a.rank(), model, true);
            tensors.add(new SafetensorsWriter.Tensor(base + ".lora_A.weight", longs(a.a().shape()), SafetensorsDtype.F32, a.a().data()));
            tensors.add(new SafetensorsWriter.Tensor(base + ".lora_B.weight", longs(a.b().shape()), SafetensorsDtype.F32, b));
        }
        SafetensorsWriter.write(dir.resolve(WEIGHTS), Map.of("format", "pt"), tensors);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("peft_type", "LORA");
        json.put("task_type", "CAUSAL_LM");
        json.put("base_model_name_or_path", baseModel);
        json.put("r", config.rank());
        // PEFT declares lora_alpha an int; write it as one when it is whole
        json.put("lora_alpha", config.alpha() == Math.rint(config.alpha()) ? (Object) (int) config.alpha() : (Object) config.alpha());
        json.put("lora_dropout", config.dropout());
        json.put("target_modules", config.targetRegex() != null ? config.targetRegex()
                : config.targetModules().contains(LoraConfig.ALL_LINEAR) ? LoraConfig.ALL_LINEAR : config.targetModules());
        json.put("bias", "none");
        json.put("fan_in_fan_out", false);
        json.put("inference_mode", true);
        json.put("init_lora_weights", true);
        json.put("use_rslora", false);
        json.put("use_dora", false);
        json.put("modules_to_save", null);
        Path tmp = AtomicFiles.newTempFile(dir.resolve(CONFIG));
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), json);
            AtomicFiles.moveIntoPlace(tmp, dir.resolve(CONFIG));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads {@code adapter_config.json}: rank, alpha, dropout and targets. */
    public static LoraConfig readConfig(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG);
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no LoRA adapter config");
        JsonNode j = new ObjectMapper().readTree(file.toFile());
        for (String key : List.of("r", "lora_alpha", "target_modules")) {
            if (!j.has(key)) throw new ModelFormatException(file + ": missing key \"" + key + "\"");
        }
        if (!"LORA".equals(j.path("peft_type").asText("LORA"))) {
            throw new ModelFormatException(file + ": peft_type " + j.get("peft_type") + " is not LORA");
        }
        JsonNode targets = j.get("target_modules");
        List<String> modules = new ArrayList<>();
        String regex = null;
        if (targets.isArray()) {
            targets.forEach(t -> modules.add(t.asText()));
        } else if (targets.asText().equals(LoraConfig.ALL_LINEAR)) {
            modules.add(LoraConfig.ALL_LINEAR);
        } else {
            regex = targets.asText();
        }
        return new LoraConfig(j.get("r").asInt(), (float) j.get("lora_alpha").asDouble(), (float) j.path("lora_dropout").asDouble(0),
                modules, regex);
    }

    /** Attaches the saved adapters to the decoder's linears (which must have none) and returns them. */
    public static List<LoraAdapter> load(Path dir, Decoder decoder) throws IOException {
        LoraConfig config = readConfig(dir);
        Path file = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no LoRA adapter weights");
        List<LoraAdapter> out = new ArrayList<>();
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (String name : st.tensors().keySet()) {
                if (!name.endsWith(".lora_A.weight")) continue;
                if (!name.startsWith(PREFIX)) throw new ModelFormatException(file + ": tensor " + name + " does not start with " + PREFIX);
                String module = name.substring(PREFIX.length(), name.length() - ".lora_A.weight".length());
                String bName = PREFIX + module + ".lora_B.weight";
                if (!st.tensors().containsKey(bName)) throw new ModelFormatException(file + ": " + name + " has no " + bName);
                LinearModule m = decoder.linear(module);
                SafetensorsTensorInfo ai = st.tensor(name), bi = st.tensor(bName);
                int r = config.rank();
                check(file, ai, new long[] {r, m.in()});
                check(file, bi, new long[] {m.out(), r});
                float[] b = toHfRows(module, st.readFloats(bName), r, decoder.config(), false);
                LoraAdapter a = new LoraAdapter(module, Tensor.parameter(module + ".lora_A", st.readFloats(name), r, m.in()),
                        Tensor.parameter(module + ".lora_B", b, m.out(), r), config.scale(), config.dropout());
                if (m.adapter() != null) throw new IllegalStateException(module + " already has an adapter");
                m.setAdapter(a);
                out.add(a);
            }
        }
        if (out.isEmpty()) throw new ModelFormatException(file + ": no lora_A tensors");
        return out;
    }

    private static void check(Path file, SafetensorsTensorInfo t, long[] shape) {
        if (!Arrays.equals(t.shape(), shape)) {
            throw new ModelFormatException(file + ": tensor " + t.name() + " has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(shape) + " for this model and rank");
        }
    }

    /** lora_B of q/k between our row order (adjacent RoPE pairs for GGUF llama) and Hugging Face's (half-split). */
    private static float[] toHfRows(String module, float[] b, int rank, ModelConfig c, boolean toHf) {
        Matcher m = LAYER.matcher(module);
        if (c.ropeLayout() != Rope.Layout.NORMAL || !m.find()) return b;
        int layer = Integer.parseInt(m.group(1));
        int heads = m.group(2).equals("q") ? c.headCount(layer) : c.headCountKv(layer);
        return toHf ? RopePermutation.toHalfSplit(b, heads, c.headDim(), rank) : RopePermutation.toAdjacentPairs(b, heads, c.headDim(), rank);
    }

    private static long[] longs(int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = shape[i];
        return s;
    }
}
