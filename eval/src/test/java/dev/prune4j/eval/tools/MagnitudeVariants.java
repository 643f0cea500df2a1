package dev.prune4j.eval.tools;

import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.export.GgufExporter;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.tensor.GgmlType;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A test and demo utility, not a product command: makes magnitude-pruned variants of a model by zeroing the
 * smallest-magnitude fraction of every block linear's weights (each matrix on its own), and writes them as F32
 * GGUF. The reports of issue 6 were demonstrated on these before {@code prune4j prune} existed.
 *
 * <pre>java -cp cli/target/prune4j.jar:eval/target/test-classes dev.prune4j.eval.tools.MagnitudeVariants \
 *     MODEL OUT_DIR 0.5 0.7</pre>
 */
public final class MagnitudeVariants {
    private MagnitudeVariants() {}

    /** Zeroes exactly {@code floor(sparsity · size)} weights of the smallest magnitude in each block linear. */
    public static void prune(ModelWeights weights, double sparsity) {
        if (sparsity < 0 || sparsity > 1) throw new IllegalArgumentException("sparsity must be in [0, 1], got " + sparsity);
        for (BlockWeights b : weights.blocks()) {
            for (Linear l : new Linear[] {b.attnQ(), b.attnK(), b.attnV(), b.attnOutput(), b.ffnGate(), b.ffnUp(), b.ffnDown()}) {
                zeroSmallest(l.weight(), (int) Math.floor(sparsity * l.weight().length));
            }
        }
    }

    /** Zeroes the {@code k} entries of smallest |w|, ties broken by position so the count is exact. */
    static void zeroSmallest(float[] w, int k) {
        long[] keys = new long[w.length];
        // |w| as float bits orders like the value for non-negative floats; the index rides in the low 32 bits
        for (int i = 0; i < w.length; i++) keys[i] = ((long) Float.floatToIntBits(Math.abs(w[i])) << 32) | i;
        Arrays.sort(keys);
        for (int j = 0; j < k; j++) w[(int) keys[j]] = 0f;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: MagnitudeVariants MODEL OUT_DIR SPARSITY...   (writes OUT_DIR/<model>-mag<NN>.gguf, F32)");
            System.exit(2);
        }
        Path source = Assets.resolveModel(args[0]);
        Path outDir = Path.of(args[1]);
        java.nio.file.Files.createDirectories(outDir);
        String base = source.getFileName().toString().replaceFirst("(?i)(\\.q\\w+)?\\.gguf$", "");
        for (int i = 2; i < args.length; i++) {
            double sparsity = Double.parseDouble(args[i]);
            LanguageModel m = LanguageModel.load(source);
            prune(m.weights(), sparsity);
            Path out = outDir.resolve(String.format("%s-mag%02d.gguf", base, Math.round(sparsity * 100)));
            GgufExporter.write(out, m.config(), m.weights(), m.metadata(), GgmlType.F32);
            System.out.println("wrote " + out + " (" + args[i] + " of every block linear zeroed by magnitude)");
        }
    }
}
