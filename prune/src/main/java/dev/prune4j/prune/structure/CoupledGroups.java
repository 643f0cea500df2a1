package dev.prune4j.prune.structure;

import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.structure.StructureGroup.AttentionGroup;
import dev.prune4j.prune.structure.StructureGroup.DecoderLayer;
import dev.prune4j.prune.structure.StructureGroup.FfnChannel;
import dev.prune4j.prune.structure.StructureGroup.HiddenChannel;
import dev.prune4j.prune.structure.StructureGroup.QueryHead;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The prunable groups of a model and the tensor slices each one owns, computed from its config: GQA attention
 * groups, single query heads, FFN channels, hidden channels and whole layers. Scores, masking and parameter budgets
 * all read the same slices, so they agree on what a group is.
 */
public final class CoupledGroups {
    private static final TensorRole[] READERS = {TensorRole.ATTN_Q, TensorRole.ATTN_K, TensorRole.ATTN_V,
            TensorRole.FFN_GATE, TensorRole.FFN_UP};
    private static final TensorRole[] WRITERS = {TensorRole.ATTN_OUTPUT, TensorRole.FFN_DOWN};
    private static final TensorRole[] LINEARS = {TensorRole.ATTN_Q, TensorRole.ATTN_K, TensorRole.ATTN_V,
            TensorRole.ATTN_OUTPUT, TensorRole.FFN_GATE, TensorRole.FFN_UP, TensorRole.FFN_DOWN};
    private static final TensorRole[] RESIDUAL_NORMS = {TensorRole.ATTN_NORM, TensorRole.ATTN_POST_NORM,
            TensorRole.FFN_NORM, TensorRole.FFN_POST_NORM};

    private static final Set<TensorRole> QKV_BIASES = EnumSet.of(TensorRole.ATTN_Q_BIAS, TensorRole.ATTN_K_BIAS,
            TensorRole.ATTN_V_BIAS);

    private final ModelConfig config;
    private final Set<TensorRole> biases;
    private final boolean tied;

    /**
     * @param biases the bias roles every layer's linears carry (Qwen2: q/k/v; after FLAP's bias compensation also
     *               o and down)
     * @param tied   whether lm_head shares the embedding matrix (then it owns no parameters of its own)
     */
    public CoupledGroups(ModelConfig config, Set<TensorRole> biases, boolean tied) {
        this.config = config;
        this.biases = biases.isEmpty() ? EnumSet.noneOf(TensorRole.class) : EnumSet.copyOf(biases);
        this.tied = tied;
    }

    /** Groups of a model described by its config alone: q/k/v biases where the architecture has them (Qwen2). */
    public static CoupledGroups of(ModelConfig config) {
        boolean qwen2 = config.architecture().equals(Architecture.QWEN2.ggufName);
        return new CoupledGroups(config, qwen2 ? QKV_BIASES : Set.of(), config.tiedEmbeddings());
    }

    /** Groups of loaded weights: biases as the first layer has them, tying as the weights have it. */
    public static CoupledGroups of(ModelConfig config, ModelWeights weights) {
        Set<TensorRole> biases = EnumSet.noneOf(TensorRole.class);
        for (TensorRole r : LINEARS) {
            if (WeightTensors.get(weights, r.bias(), 0) != null) biases.add(r.bias());
        }
        return new CoupledGroups(config, biases, weights.tied());
    }

    /** The same groups with more biases (e.g. the o/down biases that FLAP's bias compensation adds). */
    public CoupledGroups withBiases(TensorRole... more) {
        Set<TensorRole> all = EnumSet.noneOf(TensorRole.class);
        all.addAll(biases);
        all.addAll(Arrays.asList(more));
        return new CoupledGroups(config, all, tied);
    }

    public ModelConfig config() { return config; }

    /** The bias roles this model's linears carry. */
    public Set<TensorRole> biases() { return Set.copyOf(biases); }

    public boolean tied() { return tied; }

    // ---- enumeration

    public List<AttentionGroup> attentionGroups(int layer) {
        return IntStream.range(0, config.headCountKv(layer)).mapToObj(kv -> new AttentionGroup(layer, kv)).toList();
    }

    public List<QueryHead> queryHeads(int layer) {
        return IntStream.range(0, config.headCount(layer)).mapToObj(h -> new QueryHead(layer, h)).toList();
    }

    public List<FfnChannel> ffnChannels(int layer) {
        return IntStream.range(0, config.feedForwardLength(layer)).mapToObj(c -> new FfnChannel(layer, c)).toList();
    }

    public List<HiddenChannel> hiddenChannels() {
        return IntStream.range(0, config.embeddingLength()).mapToObj(HiddenChannel::new).toList();
    }

    public List<DecoderLayer> layers() {
        return IntStream.range(0, config.blockCount()).mapToObj(DecoderLayer::new).toList();
    }

    /**
     * The groups a plan removes, each once: whole layers; in the other layers the removed KV groups, then the
     * removed query heads of kept KV groups, then FFN channels; last the hidden channels.
     */
    public List<StructureGroup> removedBy(StructuredPlan plan) {
        plan.validate(config);
        List<StructureGroup> out = new ArrayList<>();
        for (int l = 0; l < config.blockCount(); l++) {
            if (plan.removedLayers()[l]) {
                out.add(new DecoderLayer(l));
                continue;
            }
            int group = config.headCount(l) / config.headCountKv(l);
            int[] kv = plan.keptKvHeads()[l], q = plan.keptQueryHeads()[l];
            for (int g = 0; g < config.headCountKv(l); g++) {
                if (Arrays.binarySearch(kv, g) < 0) out.add(new AttentionGroup(l, g));
            }
            for (int h = 0; h < config.headCount(l); h++) {
                if (Arrays.binarySearch(kv, h / group) >= 0 && Arrays.binarySearch(q, h) < 0) out.add(new QueryHead(l, h));
            }
            int[] ffn = plan.keptFfnChannels()[l];
            for (int c = 0; c < config.feedForwardLength(l); c++) {
                if (Arrays.binarySearch(ffn, c) < 0) out.add(new FfnChannel(l, c));
            }
        }
        for (int c = 0; c < config.embeddingLength(); c++) {
            if (Arrays.binarySearch(plan.keptHiddenChannels(), c) < 0) out.add(new HiddenChannel(c));
        }
        return out;
    }

    // ---- slices

    /** The tensor slices a group owns; tensors the model lacks (biases, post norms, an untied head) are left out. */
    public List<TensorSlice> slices(StructureGroup group) {
        return switch (group) {
            case AttentionGroup(int l, int kv) -> attentionGroupSlices(l, kv);
            case QueryHead(int l, int h) -> queryHeadSlices(l, h, 1);
            case FfnChannel(int l, int c) -> ffnChannelSlices(l, c);
            case HiddenChannel(int c) -> hiddenChannelSlices(c);
            case DecoderLayer(int l) -> layerSlices(l);
        };
    }

    private List<TensorSlice> attentionGroupSlices(int l, int kv) {
        int hd = config.headDim(), group = config.headCount(l) / config.headCountKv(l);
        List<TensorSlice> out = new ArrayList<>(queryHeadSlices(l, kv * group, group));
        for (TensorRole r : new TensorRole[] {TensorRole.ATTN_K, TensorRole.ATTN_V}) {
            out.add(TensorSlice.rows(r, l, kv * hd, hd));
            if (biases.contains(r.bias())) out.add(TensorSlice.rows(r.bias(), l, kv * hd, hd));
        }
        return out;
    }

    private List<TensorSlice> ffnChannelSlices(int l, int c) {
        List<TensorSlice> out = new ArrayList<>();
        for (TensorRole r : new TensorRole[] {TensorRole.FFN_GATE, TensorRole.FFN_UP}) {
            out.add(TensorSlice.rows(r, l, c, 1));
            if (biases.contains(r.bias())) out.add(TensorSlice.rows(r.bias(), l, c, 1));
        }
        out.add(TensorSlice.columns(TensorRole.FFN_DOWN, l, c, 1));
        return out;
    }

    /** {@code count} consecutive query heads from {@code first}. */
    private List<TensorSlice> queryHeadSlices(int l, int first, int count) {
        int hd = config.headDim();
        List<TensorSlice> out = new ArrayList<>();
        out.add(TensorSlice.rows(TensorRole.ATTN_Q, l, first * hd, count * hd));
        if (biases.contains(TensorRole.ATTN_Q_BIAS)) out.add(TensorSlice.rows(TensorRole.ATTN_Q_BIAS, l, first * hd, count * hd));
        out.add(TensorSlice.columns(TensorRole.ATTN_OUTPUT, l, first * hd, count * hd));
        return out;
    }

    private List<TensorSlice> hiddenChannelSlices(int c) {
        List<TensorSlice> out = new ArrayList<>();
        out.add(TensorSlice.columns(TensorRole.TOKEN_EMBD, 0, c, 1));
        for (int l = 0; l < config.blockCount(); l++) {
            for (TensorRole r : RESIDUAL_NORMS) if (shape(r, l) != null) out.add(TensorSlice.rows(r, l, c, 1));
            for (TensorRole r : READERS) out.add(TensorSlice.columns(r, l, c, 1));
            for (TensorRole r : WRITERS) {
                out.add(TensorSlice.rows(r, l, c, 1));
                if (biases.contains(r.bias())) out.add(TensorSlice.rows(r.bias(), l, c, 1));
            }
        }
        out.add(TensorSlice.rows(TensorRole.OUTPUT_NORM, 0, c, 1));
        if (!tied) out.add(TensorSlice.columns(TensorRole.OUTPUT, 0, c, 1));
        return out;
    }

    private List<TensorSlice> layerSlices(int l) {
        List<TensorSlice> out = new ArrayList<>();
        for (TensorRole r : TensorRole.values()) {
            int[] s = r.perBlock() ? shape(r, l) : null;
            if (s != null) out.add(TensorSlice.rows(r, l, 0, s[0]));
        }
        return out;
    }

    /**
     * The {@code [rows, cols]} shape of a tensor of this model (1-D tensors are {@code [n, 1]}), or null when the
     * model has no such tensor.
     */
    public int[] shape(TensorRole role, int l) {
        int d = config.embeddingLength(), v = config.vocabSize(), hd = config.headDim();
        return switch (role) {
            case TOKEN_EMBD -> new int[] {v, d};
            case OUTPUT -> tied ? null : new int[] {v, d};
            case OUTPUT_NORM, ATTN_NORM, FFN_NORM -> new int[] {d, 1};
            case ATTN_POST_NORM, FFN_POST_NORM -> config.sandwichNorms() ? new int[] {d, 1} : null;
            case ATTN_Q_NORM, ATTN_K_NORM -> config.qkNorm() ? new int[] {hd, 1} : null;
            case ATTN_Q -> new int[] {config.qDim(l), d};
            case ATTN_K, ATTN_V -> new int[] {config.kvDim(l), d};
            case ATTN_Q_BIAS -> biases.contains(role) ? new int[] {config.qDim(l), 1} : null;
            case ATTN_K_BIAS, ATTN_V_BIAS -> biases.contains(role) ? new int[] {config.kvDim(l), 1} : null;
            case ATTN_OUTPUT_BIAS, FFN_DOWN_BIAS -> biases.contains(role) ? new int[] {d, 1} : null;
            case FFN_GATE_BIAS, FFN_UP_BIAS -> biases.contains(role) ? new int[] {config.feedForwardLength(l), 1} : null;
            case ATTN_OUTPUT -> new int[] {d, config.qDim(l)};
            case FFN_GATE, FFN_UP -> new int[] {config.feedForwardLength(l), d};
            case FFN_DOWN -> new int[] {d, config.feedForwardLength(l)};
        };
    }

    // ---- parameter counts

    /** Parameters a group owns: what removing it saves. */
    public long parameterCount(StructureGroup group) {
        long n = 0;
        for (TensorSlice s : slices(group)) {
            int[] shape = shape(s.role(), s.block());
            n += s.elementCount(shape[0], shape[1]);
        }
        return n;
    }

    /** Parameters of one KV group (the KV head with its query heads) of a layer. */
    public long attentionGroupParameters(int layer) { return parameterCount(new AttentionGroup(layer, 0)); }

    /** Parameters of one query head of a layer (its KV head stays). */
    public long queryHeadParameters(int layer) { return parameterCount(new QueryHead(layer, 0)); }

    /** Parameters of one FFN channel of a layer. */
    public long ffnChannelParameters(int layer) { return parameterCount(new FfnChannel(layer, 0)); }

    /** Parameters of one hidden channel, across every layer. */
    public long hiddenChannelParameters() { return parameterCount(new HiddenChannel(0)); }

    /** Parameters of a whole decoder layer. */
    public long layerParameters(int layer) { return parameterCount(new DecoderLayer(layer)); }

    /** Parameters of the whole model (as {@link ModelWeights#parameterCount()} counts them). */
    public long parameterCount() {
        long n = 0;
        for (TensorRole r : TensorRole.values()) {
            for (int l = 0; l < (r.perBlock() ? config.blockCount() : 1); l++) {
                int[] s = shape(r, l);
                if (s != null) n += (long) s[0] * s[1];
            }
        }
        return n;
    }

    /**
     * Parameters of the model a plan leaves, exactly, without doing the surgery: the sizes of the pruned config's
     * tensors. Removing several kinds at once shares the cross terms (an FFN channel of a removed hidden channel is
     * not counted twice), so this, not a sum of group sizes, is what a budget should be checked against.
     */
    public long parameterCount(StructuredPlan plan) {
        return new CoupledGroups(PrunedConfig.of(config, plan), biases, tied).parameterCount();
    }
}
