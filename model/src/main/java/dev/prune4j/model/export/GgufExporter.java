package dev.prune4j.model.export;

import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.gguf.GgufValue;
import dev.prune4j.model.gguf.GgufValueType;
import dev.prune4j.model.gguf.GgufWriter;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.tensor.GgmlType;
import dev.prune4j.tensor.kernels.Rope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes fp32 weights as a GGUF file that llama.cpp loads: the source's metadata (vocabulary, chat template, ...)
 * with dimensions and file type updated, matrices in F32 or F16, and 1-D tensors (norms, biases) always in F32
 * because llama.cpp's CPU backend needs them so. Per-layer widths are written as arrays, for Llama under the
 * architecture name llama.cpp reads them with ("deci", see {@link Architecture#perLayerGgufName}).
 */
public final class GgufExporter {
    /** {@code general.file_type} values of llama.cpp ({@code enum llama_ftype}). */
    private static final Map<GgmlType, Integer> FILE_TYPE = Map.of(GgmlType.F32, 0, GgmlType.F16, 1, GgmlType.BF16, 32);

    private static final System.Logger LOG = System.getLogger(GgufExporter.class.getName());

    private GgufExporter() {}

    public static void write(Path target, ModelConfig config, ModelWeights weights, Map<String, GgufValue> sourceMetadata,
                             GgmlType matrixType) throws IOException {
        if (!FILE_TYPE.containsKey(matrixType)) throw new IllegalArgumentException("GGUF export writes F32, F16 or BF16, not " + matrixType);
        Architecture a = Architecture.fromGgufName(config.architecture(), target.toString());
        String arch = ggufArchitecture(a, config, target);
        Map<String, GgufValue> meta = renamedArchitectureKeys(sourceMetadata, config.architecture(), arch);
        meta.remove("general.alignment");
        meta.put("general.architecture", GgufValue.string(arch));
        meta.put("general.file_type", GgufValue.uint32(FILE_TYPE.get(matrixType)));
        meta.remove("general.quantization_version");
        meta.put(arch + ".context_length", GgufValue.uint32(config.contextLength()));
        meta.put(arch + ".block_count", GgufValue.uint32(config.blockCount()));
        meta.put(arch + ".embedding_length", GgufValue.uint32(config.embeddingLength()));
        meta.put(arch + ".attention.key_length", GgufValue.uint32(config.headDim()));
        meta.put(arch + ".attention.value_length", GgufValue.uint32(config.headDim()));
        // a scalar when every layer agrees (what every runtime reads), else one entry per layer
        meta.put(arch + ".attention.head_count", perLayer(config.headCount()));
        meta.put(arch + ".attention.head_count_kv", perLayer(config.headCountKv()));
        meta.put(arch + ".feed_forward_length", perLayer(config.feedForwardLength()));
        meta.put(arch + ".attention.layer_norm_rms_epsilon", GgufValue.float32(config.rmsNormEps()));
        meta.put(arch + ".rope.freq_base", GgufValue.float32(config.ropeFreqBase()));
        meta.put(arch + ".rope.dimension_count", GgufValue.uint32(config.ropeDim()));
        if (config.ropeScale() != 1f) {
            meta.put(arch + ".rope.scaling.type", GgufValue.string("linear"));
            meta.put(arch + ".rope.scaling.factor", GgufValue.float32(1f / config.ropeScale()));
        }
        if (config.slidingWindow() > 0) meta.put(arch + ".attention.sliding_window", GgufValue.uint32(config.slidingWindow()));
        // GGUF "llama" rotates adjacent pairs; weights loaded from HF (half-split pairs) get their q/k rows permuted
        boolean permute = a == Architecture.LLAMA && config.ropeLayout() == Rope.Layout.NEOX;

        List<GgufWriter.Tensor> tensors = new ArrayList<>();
        tensors.add(matrix(TensorRole.TOKEN_EMBD.ggufName(0), config.vocabSize(), config.embeddingLength(), weights.tokenEmbd(), matrixType));
        BlockWeights[] blocks = weights.blocks();
        for (int i = 0; i < blocks.length; i++) {
            BlockWeights b = blocks[i];
            vector(tensors, TensorRole.ATTN_NORM, i, b.attnNorm());
            Linear q = b.attnQ(), k = b.attnK();
            if (permute) {
                int hd = config.headDim(), h = config.embeddingLength();
                q = new Linear(q.out(), q.in(), RopePermutation.toAdjacentPairs(q.weight(), config.headCount(i), hd, h),
                        q.bias() == null ? null : RopePermutation.toAdjacentPairs(q.bias(), config.headCount(i), hd, 1));
                k = new Linear(k.out(), k.in(), RopePermutation.toAdjacentPairs(k.weight(), config.headCountKv(i), hd, h),
                        k.bias() == null ? null : RopePermutation.toAdjacentPairs(k.bias(), config.headCountKv(i), hd, 1));
            }
            linear(tensors, TensorRole.ATTN_Q, i, q, matrixType);
            linear(tensors, TensorRole.ATTN_K, i, k, matrixType);
            linear(tensors, TensorRole.ATTN_V, i, b.attnV(), matrixType);
            vector(tensors, TensorRole.ATTN_Q_NORM, i, b.attnQNorm());
            vector(tensors, TensorRole.ATTN_K_NORM, i, b.attnKNorm());
            linear(tensors, TensorRole.ATTN_OUTPUT, i, b.attnOutput(), matrixType);
            vector(tensors, TensorRole.ATTN_POST_NORM, i, b.attnPostNorm());
            vector(tensors, TensorRole.FFN_NORM, i, b.ffnNorm());
            linear(tensors, TensorRole.FFN_GATE, i, b.ffnGate(), matrixType);
            linear(tensors, TensorRole.FFN_UP, i, b.ffnUp(), matrixType);
            linear(tensors, TensorRole.FFN_DOWN, i, b.ffnDown(), matrixType);
            vector(tensors, TensorRole.FFN_POST_NORM, i, b.ffnPostNorm());
        }
        vector(tensors, TensorRole.OUTPUT_NORM, 0, weights.outputNorm());
        if (!weights.tied()) {
            Linear out = weights.output();
            tensors.add(matrix(TensorRole.OUTPUT.ggufName(0), out.out(), out.in(), out.weight(), matrixType));
        }
        GgufWriter.write(target, meta, tensors);
    }

    /**
     * The {@code general.architecture} to write: the family's own name, or for per-layer widths the name llama.cpp
     * reads them under (Llama → "deci"). Families without one are written with arrays that llama.cpp does not size
     * layers by, so prune4j loads the file but llama.cpp refuses it: said in a warning.
     */
    private static String ggufArchitecture(Architecture a, ModelConfig config, Path target) {
        if (config.isUniform()) return a.ggufName;
        if (a.perLayerGgufName() != null) return a.perLayerGgufName();
        LOG.log(System.Logger.Level.WARNING, "{0}: {1} with per-layer head counts or FFN widths: llama.cpp sizes every "
                + "layer of a {1} model by layer 0, so it will not load this file (prune4j does)", target, a.ggufName);
        return a.ggufName;
    }

    /** The source metadata with its {@code {arch}.} keys moved under the architecture written. */
    private static Map<String, GgufValue> renamedArchitectureKeys(Map<String, GgufValue> source, String configArch, String arch) {
        GgufValue sourceArch = source.get("general.architecture");
        String from = (sourceArch != null ? (String) sourceArch.value() : configArch) + ".";
        Map<String, GgufValue> meta = new LinkedHashMap<>();
        for (Map.Entry<String, GgufValue> e : source.entrySet()) {
            String key = e.getKey().startsWith(from) ? arch + "." + e.getKey().substring(from.length()) : e.getKey();
            meta.put(key, e.getValue());
        }
        return meta;
    }

    private static GgufValue perLayer(int[] values) {
        boolean uniform = java.util.Arrays.stream(values).distinct().count() == 1;
        return uniform ? GgufValue.uint32(values[0]) : GgufValue.array(GgufValueType.INT32, values.clone());
    }

    private static void linear(List<GgufWriter.Tensor> out, TensorRole role, int block, Linear l, GgmlType type) {
        out.add(matrix(role.ggufName(block), l.out(), l.in(), l.weight(), type));
        if (l.bias() != null) vector(out, role.bias(), block, l.bias());
    }

    /** A [rows, cols] weight, listed by GGUF as dims {cols, rows}. */
    private static GgufWriter.Tensor matrix(String name, int rows, int cols, float[] data, GgmlType type) {
        return new GgufWriter.Tensor(name, new long[] {cols, rows}, type, data);
    }

    private static void vector(List<GgufWriter.Tensor> out, TensorRole role, int block, float[] data) {
        if (data != null) out.add(new GgufWriter.Tensor(role.ggufName(block), new long[] {data.length}, GgmlType.F32, data));
    }
}
