package dev.prune4j.eval.report;

import dev.prune4j.eval.bench.SpeedRow;
import dev.prune4j.eval.zeroshot.TaskResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The comparison's charts: accuracy and perplexity against the share of parameters removed, and tokens/s against
 * size on disk. Built with XChart; {@link ReportWriter} renders them to PNG without a display.
 */
public final class ReportCharts {
    static final int WIDTH = 900, HEIGHT = 560;
    /** One colour per task (acc_norm solid, acc dashed in the same colour), from a colour-blind-safe palette. */
    private static final Color[] PALETTE = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
            new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233)};

    private ReportCharts() {}

    /** Models in order of parameters removed, so lines run left to right. */
    private static List<Integer> byRemoved(ComparisonReport r) {
        return IntStream.range(0, r.models().size()).boxed().sorted(Comparator.comparingDouble(r::removed)).toList();
    }

    /** Per task, acc_norm (solid) and acc (dashed) with ±1.96·stderr bars, and the chance level; empty without tasks. */
    public static Optional<XYChart> accuracy(ComparisonReport r) {
        if (r.taskNames().isEmpty()) return Optional.empty();
        XYChart chart = base("Zero-shot accuracy vs parameters removed", "block-linear weights removed vs " + MarkdownReport.label(r.reference()) + " (%)", "accuracy");
        chart.getStyler().setYAxisDecimalPattern("0.00");
        List<Integer> order = byRemoved(r);
        double[] x = order.stream().mapToDouble(i -> 100 * r.removed(i)).toArray();
        double chance = Double.NaN;
        List<String> tasks = r.taskNames();
        for (int ti = 0; ti < tasks.size(); ti++) {
            String task = tasks.get(ti);
            for (boolean norm : new boolean[] {true, false}) {
                double[] y = new double[x.length], err = new double[x.length];
                boolean any = false;
                for (int k = 0; k < x.length; k++) {
                    TaskResult t = find(r.models().get(order.get(k)).zeroShot(), task);
                    var p = t == null ? null : norm ? t.accNorm() : t.acc();
                    y[k] = p == null ? Double.NaN : p.value();
                    err[k] = p == null ? 0 : 1.959964 * p.stderr();
                    if (p != null) any = true;
                    if (t != null) chance = t.chance();
                }
                if (!any) continue;
                XYSeries s = chart.addSeries(task + (norm ? " acc_norm" : " acc"), x, y, err);
                s.setMarker(norm ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
                s.setLineColor(PALETTE[ti % PALETTE.length]);
                s.setMarkerColor(PALETTE[ti % PALETTE.length]);
                if (!norm) s.setLineStyle(SeriesLines.DASH_DASH);
            }
        }
        if (!Double.isNaN(chance)) {
            XYSeries c = chart.addSeries(String.format(Locale.ROOT, "chance (%.2f)", chance),
                    new double[] {x[0], x[x.length - 1]}, new double[] {chance, chance});
            c.setMarker(SeriesMarkers.NONE);
            c.setLineColor(Color.GRAY);
            c.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 4f}, 0f));
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        pad(chart, x);
        return Optional.of(chart);
    }

    /** Perplexity on a log axis against parameters removed; empty when none was measured. */
    public static Optional<XYChart> perplexity(ComparisonReport r, String text) {
        List<Integer> order = byRemoved(r).stream().filter(i -> r.models().get(i).perplexity() != null).toList();
        if (order.isEmpty()) return Optional.empty();
        XYChart chart = base("Perplexity vs parameters removed", "block-linear weights removed vs " + MarkdownReport.label(r.reference()) + " (%)", "perplexity (log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        double[] x = order.stream().mapToDouble(i -> 100 * r.removed(i)).toArray();
        double[] y = order.stream().mapToDouble(i -> r.models().get(i).perplexity().perplexity()).toArray();
        chart.addSeries("perplexity, " + text, x, y).setMarker(SeriesMarkers.CIRCLE);
        for (int k = 0; k < x.length; k++) {
            String label = String.format(Locale.ROOT, y[k] < 1000 ? "%.1f" : "%.0f", y[k]);
            // just above the point; the log axis is why the offset is a factor
            chart.addAnnotation(new AnnotationText(label, x[k], y[k] * 1.15, false));
        }
        pad(chart, x);
        return Optional.of(chart);
    }

    /** Prefill and decode tokens/s per prompt length against size on disk, one point per model; empty without speed rows. */
    public static Optional<XYChart> speed(ComparisonReport r) {
        if (r.promptLengths().isEmpty()) return Optional.empty();
        XYChart chart = base("Speed vs size on disk (batch 1)", "size on disk (MB)", "tokens/s");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(10);
        for (int n : r.promptLengths()) {
            for (boolean decode : new boolean[] {false, true}) {
                List<Double> x = new ArrayList<>(), y = new ArrayList<>();
                for (ModelEvaluation m : r.models()) {
                    for (SpeedRow row : m.speed()) {
                        if (row.promptTokens() != n) continue;
                        x.add(m.facts().fileBytes() / 1e6);
                        y.add(decode ? row.decodeTokensPerSecond() : row.prefillTokensPerSecond());
                    }
                }
                chart.addSeries((decode ? "decode after " : "prefill of ") + n + " tokens", x, y);
            }
        }
        chart.getStyler().setYAxisMin(0.0);
        // from zero, so that the sizes compare at a glance, and with room right of the largest model
        chart.getStyler().setXAxisMin(0.0);
        double largest = r.models().stream().mapToDouble(m -> m.facts().fileBytes() / 1e6).max().orElse(1);
        chart.getStyler().setXAxisMax(largest * 1.15);
        return Optional.of(chart);
    }

    /** Room left and right of the outermost points, for their labels and error bars. */
    private static void pad(XYChart chart, double[] x) {
        double min = Arrays.stream(x).min().orElse(0), max = Arrays.stream(x).max().orElse(0);
        double margin = Math.max(max - min, 1) * 0.06;
        chart.getStyler().setXAxisMin(min - margin);
        chart.getStyler().setXAxisMax(max + margin);
    }

    private static XYChart base(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Styler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setXAxisDecimalPattern("0.#");
        return chart;
    }

    private static TaskResult find(List<TaskResult> results, String task) {
        return results.stream().filter(t -> t.task().equals(task)).findFirst().orElse(null);
    }
}
