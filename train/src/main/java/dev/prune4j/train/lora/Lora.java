package dev.prune4j.train.lora;

import dev.prune4j.tensor.kernels.Gemm;
import dev.prune4j.train.Rng;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.nn.Decoder;
import dev.prune4j.train.nn.LinearModule;
import java.util.ArrayList;
import java.util.List;

/** Attaching LoRA adapters to a decoder's linears, and merging them into the base weights. */
public final class Lora {
    private Lora() {}

    /**
     * Adds an adapter to every linear the config selects. A is drawn as PEFT draws it (Kaiming-uniform with a = √5,
     * i.e. U(−1/√in, 1/√in)), B starts at zero, so the model is unchanged until B learns. Each module's A comes from
     * its own seed derived from {@code seed}.
     */
    public static List<LoraAdapter> attach(Decoder decoder, LoraConfig config, long seed) {
        List<LoraAdapter> out = new ArrayList<>();
        for (LinearModule m : decoder.linears()) {
            if (!config.selects(m.name())) continue;
            if (m.adapter() != null) throw new IllegalStateException(m.name() + " already has an adapter");
            int r = config.rank();
            Rng rng = new Rng(Rng.mix(seed, m.index()));
            float bound = (float) (1 / Math.sqrt(m.in()));
            float[] a = new float[r * m.in()];
            for (int i = 0; i < a.length; i++) a[i] = (2 * rng.nextFloat() - 1) * bound;
            LoraAdapter adapter = new LoraAdapter(m.name(), Tensor.parameter(m.name() + ".lora_A", a, r, m.in()),
                    Tensor.parameter(m.name() + ".lora_B", new float[m.out() * r], m.out(), r), config.scale(), config.dropout());
            m.setAdapter(adapter);
            out.add(adapter);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("LoRA targets " + config.targetModules()
                + (config.targetRegex() != null ? " / " + config.targetRegex() : "") + " select no linear of this model");
        return out;
    }

    /** The trainable tensors of the adapters (A and B of each). */
    public static List<Tensor> parameters(List<LoraAdapter> adapters) {
        List<Tensor> p = new ArrayList<>();
        for (LoraAdapter a : adapters) {
            p.add(a.a());
            p.add(a.b());
        }
        return p;
    }

    /**
     * Folds every adapter into its base weight, {@code W += (alpha/r)·B·A}, and detaches it. The base arrays are the
     * model's own, so the loaded {@code ModelWeights} now hold the merged model (ready to export).
     */
    public static void merge(Decoder decoder) {
        for (LinearModule m : decoder.linears()) {
            if (!(m.adapter() instanceof LoraAdapter a)) continue;
            int r = a.rank();
            float[] scaledB = a.b().data().clone();
            for (int i = 0; i < scaledB.length; i++) scaledB[i] *= a.scale();
            Gemm.nn(m.out(), m.in(), r, scaledB, 0, r, a.a().data(), 0, m.in(), m.weight().data(), 0, m.in(), true);
            m.setAdapter(null);
        }
    }
}
