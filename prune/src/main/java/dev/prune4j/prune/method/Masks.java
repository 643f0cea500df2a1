package dev.prune4j.prune.method;

/** Applying and counting masks on row-major weights. */
final class Masks {
    private Masks() {}

    /** Sets masked weights to exactly +0.0 and returns how many weights are zero afterwards. */
    static long apply(float[] weight, boolean[] mask) {
        long zeros = 0;
        for (int i = 0; i < weight.length; i++) {
            if (mask[i]) weight[i] = 0f;
            if (weight[i] == 0f) {
                weight[i] = 0f; // a -0.0 left by an update becomes +0.0: exported zeros are exact
                zeros++;
            }
        }
        return zeros;
    }

    /** The mask for a target from a score in which lower means "prune first". */
    static boolean[] select(float[] score, int rows, int columns, SparsityTarget target, boolean perRow) {
        boolean[] mask = new boolean[rows * columns];
        switch (target) {
            case SparsityTarget.NofM nm -> MaskSelection.nOfM(score, rows, columns, nm.n(), nm.m(), mask);
            case SparsityTarget.Unstructured u -> {
                if (perRow) {
                    int k = (int) Math.round(u.fraction() * columns);
                    for (int r = 0; r < rows; r++) MaskSelection.lowest(score, r * columns, (r + 1) * columns, k, mask);
                } else {
                    MaskSelection.lowest(score, 0, rows * columns, (int) Math.round(u.fraction() * rows * (long) columns), mask);
                }
            }
        }
        return mask;
    }
}
