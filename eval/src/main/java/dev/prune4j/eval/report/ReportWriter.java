package dev.prune4j.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.prune4j.model.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * Writes a comparison into a directory: {@code report.md}, {@code report.json} and the PNG charts, each file
 * written under a temporary name and renamed when complete.
 */
public final class ReportWriter {
    public static final String MARKDOWN = "report.md", JSON = "report.json";
    public static final String ACCURACY_PNG = "accuracy.png", PERPLEXITY_PNG = "perplexity.png", SPEED_PNG = "speed.png";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {}

    /**
     * @param pplText how the perplexity text is named in the chart's legend (e.g. {@code sotu:test})
     * @return the files written, in order
     */
    public static List<Path> write(ComparisonReport report, Path dir, String pplText) throws IOException {
        // charts render off-screen; without this AWT may look for a display
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<String> charts = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        chart(ReportCharts.accuracy(report), dir.resolve(ACCURACY_PNG), charts, written);
        chart(ReportCharts.perplexity(report, pplText), dir.resolve(PERPLEXITY_PNG), charts, written);
        chart(ReportCharts.speed(report), dir.resolve(SPEED_PNG), charts, written);
        Path md = dir.resolve(MARKDOWN);
        writeAtomically(md, out -> out.write(MarkdownReport.render(report, charts).getBytes(StandardCharsets.UTF_8)));
        Path json = dir.resolve(JSON);
        writeAtomically(json, out -> MAPPER.writeValue(out, ReportJson.report(report)));
        written.add(0, json);
        written.add(0, md);
        return written;
    }

    private static void chart(Optional<XYChart> chart, Path file, List<String> names, List<Path> written) throws IOException {
        if (chart.isEmpty()) return;
        writeAtomically(file, out -> BitmapEncoder.saveBitmap(chart.get(), out, BitmapEncoder.BitmapFormat.PNG));
        names.add(file.getFileName().toString());
        written.add(file);
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private static void writeAtomically(Path target, Body body) throws IOException {
        Path tmp = AtomicFiles.newTempFile(target);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.write(out);
            }
            AtomicFiles.moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
