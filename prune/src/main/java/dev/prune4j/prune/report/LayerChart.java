package dev.prune4j.prune.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG: per-layer sparsity (left axis) and relative reconstruction error of attention and MLP (right). */
final class LayerChart {
    private LayerChart() {}

    static void write(Path png, String title, List<Map<String, Object>> layers) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(480).title(title).xAxisTitle("decoder layer").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        chart.setYAxisGroupTitle(0, "sparsity (%)");
        chart.setYAxisGroupTitle(1, "relative output error (%)");
        double[] x = layers.stream().mapToDouble(l -> ((Number) l.get("layer")).doubleValue()).toArray();
        add(chart, "achieved sparsity", x, column(layers, "sparsity", 100), 0, new Color(0x33, 0x66, 0x99));
        add(chart, "attention error (mean of q,k,v,o)", x, column(layers, "attention_error", 100), 1, new Color(0xcc, 0x44, 0x22));
        add(chart, "MLP error (mean of gate,up,down)", x, column(layers, "mlp_error", 100), 1, new Color(0x22, 0x99, 0x44));
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static double[] column(List<Map<String, Object>> layers, String key, double scale) {
        return layers.stream().mapToDouble(l -> l.get(key) instanceof Number n ? n.doubleValue() * scale : Double.NaN).toArray();
    }

    private static void add(XYChart chart, String name, double[] x, double[] y, int axis, Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setYAxisGroup(axis);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineStyle(new BasicStroke(2f));
    }
}
