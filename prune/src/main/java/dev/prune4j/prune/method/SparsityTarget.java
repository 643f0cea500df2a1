package dev.prune4j.prune.method;

/**
 * How much of a linear to zero: a fraction of its weights (unstructured) or {@code n} of every {@code m} consecutive
 * weights along each row (semi-structured N:M, the convention of Wanda and SparseGPT: 2:4 zeroes 2 of every 4).
 */
public sealed interface SparsityTarget {
    /** The fraction of weights that become zero. */
    double fraction();

    /** Checks that the target can be met on a linear with {@code columns} inputs; the message names the linear. */
    void validate(int columns, String linear);

    /** A fraction in [0, 1) of the weights, chosen freely. */
    record Unstructured(double fraction) implements SparsityTarget {
        public Unstructured {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("sparsity must be in [0, 1), got " + fraction);
            }
        }

        @Override
        public void validate(int columns, String linear) {}

        @Override
        public String toString() {
            return String.format("%.4g%%", fraction * 100);
        }
    }

    /** {@code n} zeros in every group of {@code m} consecutive inputs of each row. */
    record NofM(int n, int m) implements SparsityTarget {
        public NofM {
            if (m < 2 || n < 1 || n >= m) {
                throw new IllegalArgumentException("N:M pattern needs 1 <= N < M and M >= 2, got " + n + ":" + m);
            }
        }

        /** Parses {@code "2:4"}. */
        public static NofM parse(String text) {
            String[] parts = text.trim().split(":");
            if (parts.length != 2) throw new IllegalArgumentException("N:M pattern must look like 2:4, got '" + text + "'");
            try {
                return new NofM(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("N:M pattern must look like 2:4, got '" + text + "'");
            }
        }

        @Override
        public double fraction() {
            return (double) n / m;
        }

        @Override
        public void validate(int columns, String linear) {
            if (columns % m != 0) {
                throw new IllegalArgumentException("N:M pattern " + this + " needs the input width to be a multiple of "
                        + m + ", but " + linear + " has " + columns + " inputs");
            }
        }

        @Override
        public String toString() {
            return n + ":" + m;
        }
    }
}
