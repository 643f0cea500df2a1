package dev.prune4j.eval.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How every number of a report was measured, written at its top so that two reports can be compared honestly
 * (or seen not to be comparable).
 *
 * @param prune4jVersion version of the tool that measured
 * @param perplexity     the perplexity protocol ({@code PerplexityProtocol.describe()} without the BOS part,
 *                       which is per model), its text and the text's sha256; null when not measured
 * @param zeroShot       mode, scoring rule, examples per task, seed and tasks' sources; null when not measured
 * @param speed          the speed benchmark's settings and text; null when not measured
 * @param environment    JVM, threads, machine
 * @param date           when the report was made (UTC, ISO-8601)
 */
public record ReportProtocol(String prune4jVersion, String perplexity, String zeroShot, String speed,
                             String environment, String date) {

    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("prune4j", prune4jVersion);
        if (perplexity != null) m.put("perplexity", perplexity);
        if (zeroShot != null) m.put("zero-shot", zeroShot);
        if (speed != null) m.put("speed", speed);
        m.put("environment", environment);
        m.put("date", date);
        return m;
    }

    /** {@code Java 25.0.3+9 (Eclipse Adoptium), 2 threads, Linux amd64}. */
    public static String currentEnvironment(int threads) {
        return "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + "), " + threads + " threads, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores";
    }
}
