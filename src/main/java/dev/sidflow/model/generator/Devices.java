package dev.sidflow.model.generator;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Parses the user's device choice: {@code cpu}, {@code gpu} (first GPU) or {@code auto} (GPU when present). */
public final class Devices {
    private Devices() {}

    public static Device parse(String choice) {
        return switch (choice.toLowerCase(Locale.ROOT)) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (Engine.getEngine("PyTorch").getGpuCount() == 0) throw new IllegalArgumentException("device gpu asked for, but no GPU is visible to PyTorch");
                yield Device.gpu();
            }
            case "auto" -> Engine.getEngine("PyTorch").getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            default -> throw new IllegalArgumentException("device must be cpu, gpu or auto: " + choice);
        };
    }

    /**
     * Sets PyTorch's CPU intra-op thread count. On small, shared machines one thread is much
     * faster than the default: OpenMP workers spin-wait for cores other processes hold.
     */
    public static void cpuThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
        Engine.getEngine("PyTorch"); // loads the native library first
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    }
}
