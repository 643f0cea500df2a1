package dev.prune4j.train.run;

import dev.prune4j.model.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
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

    private LossCurve() {}

    public static void writePng(Path file, String title, List<Trainer.StepResult> history) throws IOException {
        if (history.isEmpty()) throw new IllegalArgumentException("no steps to plot");
        double[] x = new double[history.size()], y = new double[history.size()], ema = new double[history.size()];
        // weight of the newest step in the moving average: about the last tenth of the run, within [0.05, 0.3]
        double w = Math.max(0.05, Math.min(0.3, 10.0 / history.size()));
        for (int i = 0; i < x.length; i++) {
            x[i] = history.get(i).step() + 1;
            y[i] = history.get(i).loss();
            ema[i] = i == 0 ? y[i] : w * y[i] + (1 - w) * ema[i - 1];
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
        Path tmp = AtomicFiles.newTempFile(abs);
        try {
            try (OutputStream o = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(chart, o, BitmapEncoder.BitmapFormat.PNG);
            }
            AtomicFiles.moveIntoPlace(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
