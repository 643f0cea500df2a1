package dev.prune4j.model.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prune4j.model.AtomicFiles;
import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.hf.HfConfig;
import dev.prune4j.model.hf.HfModelLoader;
import dev.prune4j.model.safetensors.SafetensorsDtype;
import dev.prune4j.model.safetensors.SafetensorsWriter;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.tensor.kernels.Rope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a Hugging Face model directory: {@code config.json} and safetensors (sharded above {@code maxShardBytes}),
 * plus any extra files given (tokenizer files). Everything is written into a temporary directory that replaces the
 * target only when complete. Llama q/k rows in GGUF order are put back in HF order; Gemma norm gains are stored as
 * {@code w - 1}; biases follow the config flags transformers reads ({@link Biases}).
 */
public final class HfExporter {
    private static final System.Logger LOG = System.getLogger(HfExporter.class.getName());

    private HfExporter() {}

    public static void write(Path dir, Architecture arch, ModelConfig config, ModelWeights weights, SafetensorsDtype dtype,
                             long maxShardBytes, Map<String, byte[]> extraFiles) throws IOException {
        if (!config.isUniform()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: per-layer head counts or FFN widths are written with the prune4j "
                    + "extension keys prune4j_layer_num_heads, prune4j_layer_num_kv_heads and prune4j_layer_intermediate_size; "
                    + "prune4j loads this model, stock transformers will not (it builds every layer from the scalar keys)", dir);
        }
        Biases biases = Biases.of(arch, weights);
        if (biases.unsupported() != null) {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}; prune4j loads this model, stock transformers ignores those biases",
                    dir, biases.unsupported());
        }
        Path tmp = AtomicFiles.newTempDirectory(dir);
        try {
            SafetensorsWriter.writeCheckpoint(tmp, Map.of("format", "pt"), tensors(arch, config, weights, dtype, biases), maxShardBytes);
            ObjectNode json = HfConfig.write(withHalfSplitRope(config));
            if (biases.attention()) json.put("attention_bias", true);
            if (biases.mlp()) json.put("mlp_bias", true);
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(HfModelLoader.CONFIG_FILE).toFile(), json);
            for (Map.Entry<String, byte[]> f : extraFiles.entrySet()) Files.write(tmp.resolve(f.getKey()), f.getValue());
            AtomicFiles.deleteRecursively(dir);
            Files.move(tmp, dir);
        } finally {
            AtomicFiles.deleteRecursively(tmp);
        }
    }

    /**
     * Which biases transformers builds. Llama's (and Gemma-3's) {@code attention_bias} gives all of q, k, v and o a
     * bias and Llama's {@code mlp_bias} all of gate, up and down, so when a model has some of a set (o and down
     * after FLAP's bias compensation) the others are written as zeros and the flag is set. Qwen2 always has q/k/v
     * biases and never o or MLP ones; Gemma-3 has no MLP biases: those are written but named in a warning.
     *
     * @param attention   write q/k/v/o biases in every layer (zeros where the model has none) and set attention_bias
     * @param mlp         likewise for gate/up/down and mlp_bias
     * @param unsupported what stock transformers will not read, or null
     */
    private record Biases(boolean attention, boolean mlp, String unsupported) {
        private static final List<TensorRole> ATTENTION = List.of(TensorRole.ATTN_Q, TensorRole.ATTN_K, TensorRole.ATTN_V,
                TensorRole.ATTN_OUTPUT);
        private static final List<TensorRole> MLP = List.of(TensorRole.FFN_GATE, TensorRole.FFN_UP, TensorRole.FFN_DOWN);

        static Biases of(Architecture arch, ModelWeights w) {
            boolean attention = has(w, ATTENTION), mlp = has(w, MLP), output = has(w, List.of(TensorRole.ATTN_OUTPUT));
            return switch (arch) {
                case LLAMA -> new Biases(attention, mlp, null);
                case GEMMA3 -> new Biases(attention, false, mlp ? "Gemma-3 has no MLP biases (gate/up/down_proj.bias)" : null);
                case QWEN2 -> new Biases(false, false, output || mlp
                        ? "Qwen2 has no o_proj or MLP biases (o_proj.bias, gate/up/down_proj.bias)" : null);
            };
        }

        private static boolean has(ModelWeights w, List<TensorRole> roles) {
            for (BlockWeights b : w.blocks()) {
                for (TensorRole r : roles) if (b.linear(r).bias() != null) return true;
            }
            return false;
        }

        /** The bias to write for a linear: its own, zeros when its set is switched on, else none. */
        float[] of(TensorRole role, Linear l) {
            if (l.bias() != null) return l.bias();
            boolean on = ATTENTION.contains(role) ? attention : mlp;
            return on ? new float[l.out()] : null;
        }
    }


    private static List<SafetensorsWriter.Tensor> tensors(Architecture arch, ModelConfig c, ModelWeights w, SafetensorsDtype dtype,
                                                          Biases biases) {
        List<SafetensorsWriter.Tensor> out = new ArrayList<>();
        boolean permute = c.ropeLayout() == Rope.Layout.NORMAL;
        boolean gemma = arch == Architecture.GEMMA3;
        out.add(matrix(arch.hfName(TensorRole.TOKEN_EMBD, 0), c.vocabSize(), c.embeddingLength(), w.tokenEmbd(), dtype));
        for (int i = 0; i < c.blockCount(); i++) {
            BlockWeights b = w.blocks()[i];
            int h = c.embeddingLength(), hd = c.headDim();
            norm(out, arch, TensorRole.ATTN_NORM, i, b.attnNorm(), gemma);
            Linear q = b.attnQ(), k = b.attnK();
            float[] qw = permute ? RopePermutation.toHalfSplit(q.weight(), c.headCount(i), hd, h) : q.weight();
            float[] kw = permute ? RopePermutation.toHalfSplit(k.weight(), c.headCountKv(i), hd, h) : k.weight();
            out.add(matrix(arch.hfName(TensorRole.ATTN_Q, i), q.out(), q.in(), qw, dtype));
            out.add(matrix(arch.hfName(TensorRole.ATTN_K, i), k.out(), k.in(), kw, dtype));
            linear(out, arch, TensorRole.ATTN_V, i, b.attnV(), dtype);
            float[] qb = biases.of(TensorRole.ATTN_Q, q), kb = biases.of(TensorRole.ATTN_K, k);
            bias(out, arch, TensorRole.ATTN_Q_BIAS, i, permute && qb != null ? RopePermutation.toHalfSplit(qb, c.headCount(i), hd, 1) : qb);
            bias(out, arch, TensorRole.ATTN_K_BIAS, i, permute && kb != null ? RopePermutation.toHalfSplit(kb, c.headCountKv(i), hd, 1) : kb);
            bias(out, arch, TensorRole.ATTN_V_BIAS, i, biases.of(TensorRole.ATTN_V, b.attnV()));
            norm(out, arch, TensorRole.ATTN_Q_NORM, i, b.attnQNorm(), gemma);
            norm(out, arch, TensorRole.ATTN_K_NORM, i, b.attnKNorm(), gemma);
            linear(out, arch, TensorRole.ATTN_OUTPUT, i, b.attnOutput(), dtype);
            bias(out, arch, TensorRole.ATTN_OUTPUT_BIAS, i, biases.of(TensorRole.ATTN_OUTPUT, b.attnOutput()));
            norm(out, arch, TensorRole.ATTN_POST_NORM, i, b.attnPostNorm(), gemma);
            norm(out, arch, TensorRole.FFN_NORM, i, b.ffnNorm(), gemma);
            linear(out, arch, TensorRole.FFN_GATE, i, b.ffnGate(), dtype);
            linear(out, arch, TensorRole.FFN_UP, i, b.ffnUp(), dtype);
            linear(out, arch, TensorRole.FFN_DOWN, i, b.ffnDown(), dtype);
            bias(out, arch, TensorRole.FFN_GATE_BIAS, i, biases.of(TensorRole.FFN_GATE, b.ffnGate()));
            bias(out, arch, TensorRole.FFN_UP_BIAS, i, biases.of(TensorRole.FFN_UP, b.ffnUp()));
            bias(out, arch, TensorRole.FFN_DOWN_BIAS, i, biases.of(TensorRole.FFN_DOWN, b.ffnDown()));
            norm(out, arch, TensorRole.FFN_POST_NORM, i, b.ffnPostNorm(), gemma);
        }
        norm(out, arch, TensorRole.OUTPUT_NORM, 0, w.outputNorm(), gemma);
        if (!w.tied()) linear(out, arch, TensorRole.OUTPUT, 0, w.output(), dtype);
        return out;
    }

    private static ModelConfig withHalfSplitRope(ModelConfig c) {
        return new ModelConfig(c.architecture(), c.blockCount(), c.embeddingLength(), c.vocabSize(), c.contextLength(),
                c.headCount(), c.headCountKv(), c.feedForwardLength(), c.headDim(), c.rmsNormEps(), c.ropeFreqBase(),
                c.ropeFreqBaseSwa(), c.ropeScale(), c.ropeDim(), Rope.Layout.NEOX, c.slidingWindow(), c.slidingWindowPattern(),
                c.activation(), c.embeddingScale(), c.tiedEmbeddings(), c.qkNorm(), c.sandwichNorms());
    }

    private static void linear(List<SafetensorsWriter.Tensor> out, Architecture arch, TensorRole role, int block, Linear l, SafetensorsDtype dtype) {
        out.add(matrix(arch.hfName(role, block), l.out(), l.in(), l.weight(), dtype));
    }

    private static SafetensorsWriter.Tensor matrix(String name, int rows, int cols, float[] data, SafetensorsDtype dtype) {
        return new SafetensorsWriter.Tensor(name, new long[] {rows, cols}, dtype, data);
    }

    /** A bias in F32; nothing when {@code b} is null. */
    private static void bias(List<SafetensorsWriter.Tensor> out, Architecture arch, TensorRole role, int block, float[] b) {
        if (b != null) out.add(new SafetensorsWriter.Tensor(arch.hfName(role, block), new long[] {b.length}, SafetensorsDtype.F32, b));
    }

    /** Norm gains in F32; Gemma checkpoints hold {@code w} where the model applies {@code 1 + w}. */
    private static void norm(List<SafetensorsWriter.Tensor> out, Architecture arch, TensorRole role, int block, float[] g, boolean gemma) {
        if (g == null) return;
        float[] stored = g;
        if (gemma) {
            stored = g.clone();
            for (int i = 0; i < stored.length; i++) stored[i] -= 1f;
        }
        out.add(new SafetensorsWriter.Tensor(arch.hfName(role, block), new long[] {g.length}, SafetensorsDtype.F32, stored));
    }
}
