package dev.prune4j.prune.structure.allocation;

import java.util.Arrays;

/** What attention removes as one unit, so that every cut keeps GQA valid. */
public enum AttentionUnit {
    /** A KV head together with all the query heads that read it (with MHA, one head). */
    KV_GROUPS("kv-groups"),
    /** One query head from every KV group at once, so each group keeps the same number of query heads. */
    QUERY_HEADS("query-heads"),
    /** Attention is not pruned. */
    NONE("none");

    public final String cliName;

    AttentionUnit(String cliName) {
        this.cliName = cliName;
    }

    public static AttentionUnit parse(String s) {
        for (AttentionUnit u : values()) {
            if (u.cliName.equals(s)) return u;
        }
        throw new IllegalArgumentException("unknown attention unit \"" + s + "\"; expected one of "
                + Arrays.stream(values()).map(u -> u.cliName).toList());
    }
}
