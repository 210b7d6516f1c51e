package dev.sidflow.model.llmemb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Layout of a saved model directory: {@code config.json} (type + configs) and {@code parameters.bin} (DJL). */
final class ModelFiles {
    static final String CONFIG = "config.json";
    static final String PARAMETERS = "parameters.bin";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFiles() {}

    static void save(Path dir, Object config, SequenceModel sm) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(CONFIG).toFile(), config);
        try (OutputStream os = Files.newOutputStream(dir.resolve(PARAMETERS))) {
            sm.saveParameters(os);
        }
    }

    static JsonNode readConfig(Path dir, String expectedType) throws IOException {
        Path file = dir.resolve(CONFIG);
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no saved model here");
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        String type = node.path("type").asText("");
        if (!expectedType.equals(type)) {
            throw new IOException(file + ": holds a '" + type + "' model, expected '" + expectedType + "'");
        }
        return node;
    }

    static void loadParameters(Path dir, SequenceModel sm) throws IOException {
        try (InputStream is = Files.newInputStream(dir.resolve(PARAMETERS))) {
            sm.loadParameters(is);
        }
    }
}
