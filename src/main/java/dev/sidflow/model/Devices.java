package dev.sidflow.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.Locale;

/** The user's device choice (cpu / gpu / auto) as a DJL {@link Device}, and PyTorch's CPU threads. */
public final class Devices {
    private Devices() {}

    /** Fails on anything but cpu, gpu or auto, without loading the engine. */
    public static void validate(String name) {
        String n = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        if (!n.equals("cpu") && !n.equals("gpu") && !n.equals("auto")) {
            throw new IllegalArgumentException("unknown device '" + name + "': use cpu, gpu or auto");
        }
    }

    /** cpu; gpu (fails when PyTorch sees none); auto = gpu when PyTorch sees one, else cpu. */
    public static Device resolve(String name) {
        validate(name);
        String n = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        int gpus = n.equals("cpu") ? 0 : Engine.getEngine("PyTorch").getGpuCount();
        return switch (n) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) throw new IllegalArgumentException("device gpu requested, but PyTorch sees no GPU");
                yield Device.gpu();
            }
            default -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }

    /**
     * PyTorch intra-op threads for this process. On small shared machines one thread is several
     * times faster than PyTorch's default pool.
     */
    public static void cpuThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
        Engine.getEngine("PyTorch"); // loads the native library first
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    }
}
