package dev.prune4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine-readable run log: one JSON object per line, flushed as events happen. */
final class RunLog implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final BufferedWriter out;
    private boolean closed;

    RunLog(Path file) throws IOException {
        this.out = Files.newBufferedWriter(file);
    }

    synchronized void event(String type, Object data) {
        if (closed) return;
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("time", Instant.now().toString());
        e.put("event", type);
        e.put("data", data);
        try {
            out.write(MAPPER.writeValueAsString(e));
            out.newLine();
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        out.close();
    }
}
