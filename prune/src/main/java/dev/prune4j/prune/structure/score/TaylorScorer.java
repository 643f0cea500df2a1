package dev.prune4j.prune.structure.score;

import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.structure.StructureScores;
import java.util.Map;

/**
 * LLM-Pruner's Taylor importance of attention and FFN groups (Ma et al., NeurIPS 2023; {@code TaylorImportance} and
 * {@code MetaPruner} of its code). Each slice a group owns (a row of q, k, v, gate, up; a column of o, down) gets
 * the {@link TaylorVariant} importance of its weights; at each channel position the group's member slices are
 * combined by the {@link GroupReduction} (default {@code sum}, LLM-Pruner's default); a head sums its {@code headDim}
 * channel positions (LLM-Pruner's {@code consecutive_groups = head_dim}). The members at position {@code c} are: for
 * a query head, its q row and o column; for a KV head, its k and v rows and the q row and o column of every query
 * head it serves (the GQA extension of LLM-Pruner's q/k/v/o group); for an FFN channel, its gate and up rows and its
 * down column. Hidden channels and layers are not scored.
 *
 * <p>Gradients come from {@link TaylorGradients}; the Fisher diagonal is computed only for {@code element2}.
 * LLM-Pruner's defaults: 10 BookCorpus sequences of 64 tokens ({@code hf_prune.py} calls
 * {@code get_examples(..., seq_len=64)}), the {@code param_first} (element¹) variant, {@code sum} reduction.
 */
public final class TaylorScorer implements StructureScorer {
    public static final String NAME = "llm-pruner";
    /** LLM-Pruner's calibration: 10 sequences ({@code --num_examples}) of 64 tokens ({@code hf_prune.py}). */
    public static final int DEFAULT_SAMPLES = 10;
    public static final int DEFAULT_SEQLEN = 64;

    private final TaylorVariant variant;
    private final GroupReduction reduction;

    public TaylorScorer(TaylorVariant variant, GroupReduction reduction) {
        this.variant = variant;
        this.reduction = reduction;
    }

    @Override
    public String name() { return NAME; }

    @Override
    public boolean needsCalibration() { return true; }

    @Override
    public ScoreSet score(ModelConfig config, ModelWeights weights, int[][] samples, ScoreProgress progress) {
        TaylorGradients grads = TaylorGradients.compute(config, weights, samples, variant.needsFisher(), progress);
        return score(config, weights, grads);
    }

    /** Scores from gradients already computed (several variants from one backward pass, tests). */
    public ScoreSet score(ModelConfig config, ModelWeights weights, TaylorGradients grads) {
        int layers = config.blockCount(), hd = config.headDim();
        float[][] query = new float[layers][], kv = new float[layers][], ffn = new float[layers][];
        for (int l = 0; l < layers; l++) {
            BlockWeights b = weights.blocks()[l];
            double[] q = rows(b.attnQ(), grads, l, TensorRole.ATTN_Q), k = rows(b.attnK(), grads, l, TensorRole.ATTN_K);
            double[] v = rows(b.attnV(), grads, l, TensorRole.ATTN_V), o = columns(b.attnOutput(), grads, l, TensorRole.ATTN_OUTPUT);
            int heads = config.headCount(l), kvHeads = config.headCountKv(l), group = heads / kvHeads;
            query[l] = new float[heads];
            for (int h = 0; h < heads; h++) {
                double s = 0;
                for (int c = 0; c < hd; c++) s += reduction.reduce(new double[] {q[h * hd + c], o[h * hd + c]});
                query[l][h] = (float) s;
            }
            kv[l] = new float[kvHeads];
            for (int g = 0; g < kvHeads; g++) {
                double s = 0;
                for (int c = 0; c < hd; c++) {
                    double[] members = new double[2 + 2 * group];
                    members[0] = k[g * hd + c];
                    members[1] = v[g * hd + c];
                    for (int i = 0; i < group; i++) {
                        int h = g * group + i;
                        members[2 + 2 * i] = q[h * hd + c];
                        members[3 + 2 * i] = o[h * hd + c];
                    }
                    s += reduction.reduce(members);
                }
                kv[l][g] = (float) s;
            }
            double[] gate = rows(b.ffnGate(), grads, l, TensorRole.FFN_GATE), up = rows(b.ffnUp(), grads, l, TensorRole.FFN_UP);
            double[] down = columns(b.ffnDown(), grads, l, TensorRole.FFN_DOWN);
            ffn[l] = new float[gate.length];
            for (int c = 0; c < gate.length; c++) ffn[l][c] = (float) reduction.reduce(new double[] {gate[c], up[c], down[c]});
        }
        StructureScores scores = new StructureScores(NAME, query, kv, ffn, null, null);
        return new ScoreSet(scores, ScoreSource.of(NAME, Map.of("variant", variant.cliName, "reduction", reduction.cliName())));
    }

    private double[] rows(Linear lin, TaylorGradients grads, int layer, TensorRole role) {
        return TaylorSaliency.rows(lin.weight(), grads.gradient(layer, role), grads.fisher(layer, role), lin.out(), lin.in(), variant);
    }

    private double[] columns(Linear lin, TaylorGradients grads, int layer, TensorRole role) {
        return TaylorSaliency.columns(lin.weight(), grads.gradient(layer, role), grads.fisher(layer, role), lin.out(), lin.in(), variant);
    }
}
