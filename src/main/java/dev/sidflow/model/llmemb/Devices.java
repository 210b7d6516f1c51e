package dev.sidflow.model.llmemb;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.Locale;

/** Maps the user's device choice (cpu / gpu / auto) to a DJL {@link Device}. */
public final class Devices {
    private Devices() {}

    public static Device parse(String name) {
        String n = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                return Device.gpu();
            case "auto":
                return null; // resolved lazily: asking the engine loads the native library
            default:
                throw new IllegalArgumentException("unknown device '" + name + "': use cpu, gpu or auto");
        }
    }

    public static Device resolve(String name) {
        Device d = parse(name);
        if (d != null) {
            if (d.isGpu() && Engine.getInstance().getGpuCount() == 0) {
                throw new IllegalArgumentException("device gpu requested but the PyTorch engine sees no GPU");
            }
            return d;
        }
        return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }
}
