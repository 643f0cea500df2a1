package dev.prune4j.prune.structure;

import dev.prune4j.model.arch.TensorRole;
import java.util.Arrays;

/**
 * A contiguous range of rows or columns of one tensor, named by its role and block. Weights are {@code [out, in]};
 * a 1-D tensor (norm gain, bias) is a column vector, so its entries are {@link Axis#ROWS}.
 *
 * @param role  which tensor
 * @param block its decoder layer (0 for model-level tensors)
 * @param axis  rows or columns
 * @param from  first row or column
 * @param count how many
 */
public record TensorSlice(TensorRole role, int block, Axis axis, int from, int count) {

    /** Which index of a {@code [rows, cols]} tensor a slice ranges over. */
    public enum Axis { ROWS, COLUMNS }

    public static TensorSlice rows(TensorRole role, int block, int from, int count) {
        return new TensorSlice(role, block, Axis.ROWS, from, count);
    }

    public static TensorSlice columns(TensorRole role, int block, int from, int count) {
        return new TensorSlice(role, block, Axis.COLUMNS, from, count);
    }

    /** Sets the slice of {@code data} ({@code [rows, cols]}) to zero. */
    public void zero(float[] data, int rows, int cols) {
        if (axis == Axis.ROWS) {
            Arrays.fill(data, from * cols, (from + count) * cols, 0f);
        } else {
            for (int r = 0; r < rows; r++) Arrays.fill(data, r * cols + from, r * cols + from + count, 0f);
        }
    }

    /** Number of values of the slice in a {@code [rows, cols]} tensor. */
    public long elementCount(int rows, int cols) {
        return (long) count * (axis == Axis.ROWS ? cols : rows);
    }
}
