package dev.sidflow.model.generator;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A TIGER model's parameters and hyper-parameters. A bundle directory holds
 * {@code tiger-0000.params} (DJL parameters) and {@value #CONFIG_FILE} (the {@link TigerConfig}).
 */
public final class TigerModel implements AutoCloseable {
    static final String NAME = "tiger";
    public static final String CONFIG_FILE = "tiger-config.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Model model;
    private final TigerBlock block;

    private TigerModel(Model model, TigerBlock block) {
        this.model = model;
        this.block = block;
    }

    /** A new model with seeded random parameters on {@code device}. */
    public static TigerModel create(TigerConfig config, Device device, long seed) {
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        TigerBlock block = new TigerBlock(config);
        Model model = Model.newInstance(NAME, device, "PyTorch");
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, inputShapes(config));
        return new TigerModel(model, block);
    }

    static Shape[] inputShapes(TigerConfig config) {
        return new Shape[] {new Shape(1, config.encoderLength()), new Shape(1, 4)};
    }

    /** Loads a bundle written by {@link #save}. */
    public static TigerModel load(Path dir, Device device) throws IOException {
        Path cfg = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(cfg)) throw new IOException("not a TIGER model bundle (no " + CONFIG_FILE + "): " + dir);
        TigerConfig config = JSON.readValue(cfg.toFile(), TigerConfig.class);
        TigerBlock block = new TigerBlock(config);
        Model model = Model.newInstance(NAME, device, "PyTorch");
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, inputShapes(config));
        try {
            model.load(dir, NAME);
        } catch (MalformedModelException e) {
            model.close();
            throw new IOException("malformed TIGER parameters in " + dir + ": " + e.getMessage(), e);
        }
        return new TigerModel(model, block);
    }

    /** Writes the bundle (parameters + config JSON) into {@code dir}, creating it if needed. */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            model.save(dir, NAME);
            JSON.writeValue(dir.resolve(CONFIG_FILE).toFile(), block.config());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save TIGER model to " + dir, e);
        }
    }

    public TigerConfig config() {
        return block.config();
    }

    Model djlModel() {
        return model;
    }

    TigerBlock block() {
        return block;
    }

    public Device device() {
        return model.getNDManager().getDevice();
    }

    @Override
    public void close() {
        model.close();
    }
}
