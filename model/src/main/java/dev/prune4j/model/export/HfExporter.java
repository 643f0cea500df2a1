package dev.prune4j.model.export;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * {@code w - 1}.
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
        Path tmp = AtomicFiles.newTempDirectory(dir);
        try {
            SafetensorsWriter.writeCheckpoint(tmp, Map.of("format", "pt"), tensors(arch, config, weights, dtype), maxShardBytes);
            ModelConfig hfConfig = withHalfSplitRope(config);
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(HfModelLoader.CONFIG_FILE).toFile(), HfConfig.write(hfConfig));
            for (Map.Entry<String, byte[]> f : extraFiles.entrySet()) Files.write(tmp.resolve(f.getKey()), f.getValue());
            AtomicFiles.deleteRecursively(dir);
            Files.move(tmp, dir);
        } finally {
            AtomicFiles.deleteRecursively(tmp);
        }
    }

    private static List<SafetensorsWriter.Tensor> tensors(Architecture arch, ModelConfig c, ModelWeights w, SafetensorsDtype dtype) {
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
            if (q.bias() != null) bias(out, arch, TensorRole.ATTN_Q_BIAS, i, permute ? RopePermutation.toHalfSplit(q.bias(), c.headCount(i), hd, 1) : q.bias());
            if (k.bias() != null) bias(out, arch, TensorRole.ATTN_K_BIAS, i, permute ? RopePermutation.toHalfSplit(k.bias(), c.headCountKv(i), hd, 1) : k.bias());
            if (b.attnV().bias() != null) bias(out, arch, TensorRole.ATTN_V_BIAS, i, b.attnV().bias());
            norm(out, arch, TensorRole.ATTN_Q_NORM, i, b.attnQNorm(), gemma);
            norm(out, arch, TensorRole.ATTN_K_NORM, i, b.attnKNorm(), gemma);
            linear(out, arch, TensorRole.ATTN_OUTPUT, i, b.attnOutput(), dtype);
            norm(out, arch, TensorRole.ATTN_POST_NORM, i, b.attnPostNorm(), gemma);
            norm(out, arch, TensorRole.FFN_NORM, i, b.ffnNorm(), gemma);
            linear(out, arch, TensorRole.FFN_GATE, i, b.ffnGate(), dtype);
            linear(out, arch, TensorRole.FFN_UP, i, b.ffnUp(), dtype);
            linear(out, arch, TensorRole.FFN_DOWN, i, b.ffnDown(), dtype);
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

    private static void bias(List<SafetensorsWriter.Tensor> out, Architecture arch, TensorRole role, int block, float[] b) {
        out.add(new SafetensorsWriter.Tensor(arch.hfName(role, block), new long[] {b.length}, SafetensorsDtype.F32, b));
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
