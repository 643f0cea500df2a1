package dev.prune4j.train.run;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The training loss per step, with its exponential moving average, as a PNG (XChart, no display needed). */
public final class LossCurve {
    /** Weight of the newest step in the moving average. */
    private static final double EMA = 0.1;

    private LossCurve() {}

    public static void writePng(Path file, String title, List<Trainer.StepResult> history) throws IOException {
        if (history.isEmpty()) throw new IllegalArgumentException("no steps to plot");
        double[] x = new double[history.size()], y = new double[history.size()], ema = new double[history.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = history.get(i).step() + 1;
            y[i] = history.get(i).loss();
            ema[i] = i == 0 ? y[i] : EMA * y[i] + (1 - EMA) * ema[i - 1];
        }
        XYChart chart = new XYChartBuilder().width(720).height(400).title(title).xAxisTitle("step").yAxisTitle("training loss (nats/token)").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        XYSeries raw = chart.addSeries("loss", x, y);
        raw.setMarker(SeriesMarkers.NONE);
        raw.setLineColor(new Color(150, 180, 220));
        XYSeries smooth = chart.addSeries("moving average", x, ema);
        smooth.setMarker(SeriesMarkers.NONE);
        smooth.setLineColor(new Color(20, 70, 160));
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".png");
        try {
            BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
            Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
