package dev.prune4j.cli;

import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** The positional MODEL argument shared by every command that loads one. */
final class ModelOptions {
    @Parameters(index = "0", paramLabel = "MODEL",
            description = "A GGUF model file (F32, F16, BF16 or quantized), or a fetched default: smollm2, gemma3, stories260k.")
    String model;

    Path path() {
        return Assets.resolveModel(model);
    }

    LanguageModel load() throws IOException {
        long t0 = System.nanoTime();
        LanguageModel m = LanguageModel.load(path());
        System.err.printf("loaded %s (%s, %d layers) in %.1f s%n", m.name(), m.architecture().ggufName,
                m.config().blockCount(), (System.nanoTime() - t0) / 1e9);
        return m;
    }
}
