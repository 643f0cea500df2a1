package dev.prune4j.train.nn;

import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.train.Rng;
import dev.prune4j.train.autograd.EmbeddingOp;
import dev.prune4j.train.autograd.RmsNormOp;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The differentiable decoder over a model's fp32 weights: embed, blocks, final norm, logits, with the same results as
 * the inference {@code Transformer}. Base tensors are wrapped without copying, under their Hugging Face names; those
 * the {@code trainable} predicate selects collect gradients (and are updated in place by an optimizer), all others are
 * frozen and cost no gradient memory. Adapters attach to {@link #linears()}, methods act through {@link Taps}.
 */
public final class Decoder {
    private final ModelConfig config;
    private final Tensor tokenEmbd;  // [vocab, hidden]
    private final Tensor outputNorm; // [hidden]
    private final DecoderBlock[] blocks;
    private final LinearModule output;
    private final List<LinearModule> linears = new ArrayList<>();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private Decoder(ModelConfig config, ModelWeights w, Predicate<String> trainable) {
        this.config = config;
        Architecture arch = Architecture.fromGgufName(config.architecture(), "model config");
        int hidden = config.embeddingLength();
        this.tokenEmbd = wrap(arch.hfName(TensorRole.TOKEN_EMBD, 0), w.tokenEmbd(), trainable, config.vocabSize(), hidden);
        RotaryTables rope = new RotaryTables(config);
        this.blocks = new DecoderBlock[config.blockCount()];
        for (int i = 0; i < blocks.length; i++) {
            BlockWeights b = w.blocks()[i];
            Tensor[] norms = {
                    norm(arch, TensorRole.ATTN_NORM, i, b.attnNorm(), trainable),
                    norm(arch, TensorRole.ATTN_Q_NORM, i, b.attnQNorm(), trainable),
                    norm(arch, TensorRole.ATTN_K_NORM, i, b.attnKNorm(), trainable),
                    norm(arch, TensorRole.ATTN_POST_NORM, i, b.attnPostNorm(), trainable),
                    norm(arch, TensorRole.FFN_NORM, i, b.ffnNorm(), trainable),
                    norm(arch, TensorRole.FFN_POST_NORM, i, b.ffnPostNorm(), trainable)};
            LinearModule[] lin = {
                    linear(arch, TensorRole.ATTN_Q, i, b.attnQ(), trainable),
                    linear(arch, TensorRole.ATTN_K, i, b.attnK(), trainable),
                    linear(arch, TensorRole.ATTN_V, i, b.attnV(), trainable),
                    linear(arch, TensorRole.ATTN_OUTPUT, i, b.attnOutput(), trainable),
                    linear(arch, TensorRole.FFN_GATE, i, b.ffnGate(), trainable),
                    linear(arch, TensorRole.FFN_UP, i, b.ffnUp(), trainable),
                    linear(arch, TensorRole.FFN_DOWN, i, b.ffnDown(), trainable)};
            blocks[i] = new DecoderBlock(config, i, rope, norms, lin);
        }
        this.outputNorm = norm(arch, TensorRole.OUTPUT_NORM, 0, w.outputNorm(), trainable);
        String head = moduleName(arch.hfName(TensorRole.OUTPUT, 0));
        if (w.tied()) {
            // the output projection is the embedding matrix itself: one tensor, gradients from both uses add up
            this.output = new LinearModule(head, linears.size(), tokenEmbd, null);
            linears.add(output);
        } else {
            this.output = linear(arch, TensorRole.OUTPUT, 0, w.output(), trainable);
        }
    }

    /** All base weights frozen: gradients flow only into adapters and method parameters. */
    public static Decoder of(ModelConfig config, ModelWeights weights) {
        return new Decoder(config, weights, name -> false);
    }

    /** Base tensors whose Hugging Face name the predicate accepts collect gradients. */
    public static Decoder of(ModelConfig config, ModelWeights weights, Predicate<String> trainable) {
        return new Decoder(config, weights, trainable);
    }

    public ModelConfig config() { return config; }

    public DecoderBlock block(int i) { return blocks[i]; }

    /** Every linear in forward order (q, k, v, o, gate, up, down per block, then lm_head). */
    public List<LinearModule> linears() { return Collections.unmodifiableList(linears); }

    /** The linear named {@code moduleName} (e.g. {@code model.layers.0.mlp.down_proj}). */
    public LinearModule linear(String moduleName) {
        for (LinearModule l : linears) {
            if (l.name().equals(moduleName)) return l;
        }
        throw new IllegalArgumentException("no linear module " + moduleName + " in this " + config.architecture() + " model");
    }

    /** Every base tensor by Hugging Face name (a tied output appears once, as the embedding). */
    public Map<String, Tensor> tensors() { return Collections.unmodifiableMap(tensors); }

    /** Base tensors that collect gradients. */
    public List<Tensor> trainableBaseTensors() {
        return tensors.values().stream().filter(Tensor::requiresGrad).toList();
    }

    /**
     * Final-normed hidden states of {@code batch} sequences of equal length laid end to end.
     *
     * @param tokens [batch·seqLen]
     * @return [batch·seqLen, hidden]
     */
    public Tensor hidden(Tape tape, int[] tokens, int batch, ForwardOptions opt) {
        if (batch <= 0 || tokens.length % batch != 0 || tokens.length == 0) {
            throw new IllegalArgumentException(tokens.length + " tokens do not split into " + batch + " equal sequences");
        }
        int seqLen = tokens.length / batch;
        Tensor x = EmbeddingOp.forward(tape, tokenEmbd, tokens, config.embeddingScale());
        x = opt.taps().apply(tape, Site.EMBEDDING, -1, x);
        for (DecoderBlock block : blocks) {
            x = opt.recompute() && tape.recording()
                    ? BlockCheckpoint.forward(tape, block, x, batch, seqLen, opt)
                    : block.forward(tape, x, batch, seqLen, opt);
            x = opt.taps().apply(tape, Site.BLOCK_OUT, block.layer(), x);
        }
        return RmsNormOp.forward(tape, x, outputNorm, config.embeddingLength(), config.rmsNormEps(), RmsNormOp.GainForm.PLAIN);
    }

    /** @param hidden [rows, hidden] @return [rows, vocab] */
    public Tensor logits(Tape tape, Tensor hidden, ForwardOptions opt) {
        return output.forward(tape, hidden, opt.training(), Rng.mix(opt.seed(), -1));
    }

    /** Logits of every position: [batch·seqLen, vocab]. */
    public Tensor forward(Tape tape, int[] tokens, int batch, ForwardOptions opt) {
        return logits(tape, hidden(tape, tokens, batch, opt), opt);
    }

    private Tensor wrap(String name, float[] data, Predicate<String> trainable, int... shape) {
        Tensor t = trainable.test(name) ? Tensor.parameter(name, data, shape) : Tensor.frozen(name, data, shape);
        tensors.put(name, t);
        return t;
    }

    private Tensor norm(Architecture arch, TensorRole role, int block, float[] gain, Predicate<String> trainable) {
        return gain == null ? null : wrap(arch.hfName(role, block), gain, trainable, gain.length);
    }

    private LinearModule linear(Architecture arch, TensorRole role, int block, Linear l, Predicate<String> trainable) {
        String name = arch.hfName(role, block);
        Tensor w = wrap(name, l.weight(), trainable, l.out(), l.in());
        Tensor b = l.bias() == null ? null : wrap(arch.hfName(role.bias(), block), l.bias(), trainable, l.out());
        LinearModule m = new LinearModule(moduleName(name), linears.size(), w, b);
        linears.add(m);
        return m;
    }

    /** {@code model.layers.0.self_attn.q_proj.weight} → {@code model.layers.0.self_attn.q_proj}. */
    private static String moduleName(String tensorName) {
        return tensorName.substring(0, tensorName.length() - ".weight".length());
    }
}
