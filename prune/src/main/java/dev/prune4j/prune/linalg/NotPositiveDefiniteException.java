package dev.prune4j.prune.linalg;

/** A Cholesky factorisation met a non-positive pivot: the matrix is not (numerically) positive definite. */
public final class NotPositiveDefiniteException extends ArithmeticException {
    private final int pivot;

    public NotPositiveDefiniteException(int pivot, double value) {
        super("matrix is not positive definite: pivot " + pivot + " is " + value);
        this.pivot = pivot;
    }

    /** The row at which the factorisation broke down. */
    public int pivot() {
        return pivot;
    }
}
