package dev.sidflow.instruct;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Streams records to one file: a JSON array (one record per line) for {@code *.json}, JSON lines
 * for {@code *.jsonl}; LLaMA-Factory reads both. Records are never all held in memory.
 */
public final class InstructionWriter implements Consumer<InstructionRecord>, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;
    private final InstructionFormat format;
    private final String system;
    private final boolean jsonLines;
    private long written;

    public InstructionWriter(Path file, InstructionFormat format, String system) throws IOException {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        this.format = format;
        this.system = system;
        this.jsonLines = file.getFileName().toString().endsWith(".jsonl");
        if (!jsonLines) out.write("[");
    }

    @Override
    public void accept(InstructionRecord r) {
        try {
            if (!jsonLines) out.write(written == 0 ? "\n" : ",\n");
            out.write(JSON.writeValueAsString(format.toJson(r, system)));
            if (jsonLines) out.write("\n");
            written++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long written() {
        return written;
    }

    @Override
    public void close() throws IOException {
        try (out) {
            if (!jsonLines) out.write("\n]\n");
        }
    }
}
