package dev.prune4j.prune.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The structured report's PNG: per layer the kept query heads and KV heads (left axis) and the kept FFN width (right
 * axis), each with its dense width dashed; a removed layer shows 0.
 */
final class WidthChart {
    private static final Color QUERY = new Color(0x33, 0x66, 0x99), KV = new Color(0xcc, 0x44, 0x22), FFN = new Color(0x22, 0x99, 0x44);

    private WidthChart() {}

    static void write(Path png, String title, List<Map<String, Object>> layers) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(480).title(title).xAxisTitle("decoder layer").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.setYAxisGroupTitle(0, "attention heads kept");
        chart.setYAxisGroupTitle(1, "FFN width kept");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisMin(0, 0.0);
        chart.getStyler().setYAxisMin(1, 0.0);
        // different headroom on the two axes, so the dense widths' dashed lines do not fall on one another
        chart.getStyler().setYAxisMax(0, 1.2 * max(layers, "query_heads_dense"));
        chart.getStyler().setYAxisMax(1, 1.05 * max(layers, "ffn_dense"));
        double[] x = layers.stream().mapToDouble(l -> ((Number) l.get("layer")).doubleValue()).toArray();
        add(chart, "query heads", x, column(layers, "query_heads"), 0, QUERY, false);
        add(chart, "KV heads", x, column(layers, "kv_heads"), 0, KV, false);
        add(chart, "FFN width", x, column(layers, "ffn"), 1, FFN, false);
        add(chart, "dense query heads", x, column(layers, "query_heads_dense"), 0, QUERY, true);
        add(chart, "dense KV heads", x, column(layers, "kv_heads_dense"), 0, KV, true);
        add(chart, "dense FFN width", x, column(layers, "ffn_dense"), 1, FFN, true);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static double max(List<Map<String, Object>> layers, String key) {
        return Arrays.stream(column(layers, key)).max().orElse(1);
    }

    private static double[] column(List<Map<String, Object>> layers, String key) {
        return layers.stream().mapToDouble(l -> ((Number) l.get(key)).doubleValue()).toArray();
    }

    private static void add(XYChart chart, String name, double[] x, double[] y, int axis, Color color, boolean dense) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setYAxisGroup(axis);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(dense ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        s.setLineStyle(dense ? new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                : new BasicStroke(2f));
    }
}
