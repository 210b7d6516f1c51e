package dev.sidflow.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The device choice every model and the inference operator go through (docs/benchmarks.md, GPU). */
class DevicesTest {

    @Test
    void cpuIsAlwaysCpuAndUnknownNamesFailClearly() {
        assertThat(Devices.resolve("cpu")).isEqualTo(Device.cpu());
        assertThat(Devices.resolve(" CPU ")).isEqualTo(Device.cpu());
        assertThatThrownBy(() -> Devices.resolve("tpu")).hasMessageContaining("use cpu, gpu or auto");
    }

    @Test
    void withoutAGpuAutoFallsBackToCpuAndGpuIsRefused() {
        assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a GPU");
        assertThat(Devices.resolve("auto")).isEqualTo(Device.cpu());
        assertThat(Devices.resolve(null)).isEqualTo(Device.cpu());
        assertThatThrownBy(() -> Devices.resolve("gpu")).hasMessageContaining("PyTorch sees no GPU");
    }

    @Test
    void withAGpuAutoAndGpuPickIt() {
        assumeTrue(Engine.getEngine("PyTorch").getGpuCount() > 0, "no GPU here");
        assertThat(Devices.resolve("auto")).isEqualTo(Device.gpu());
        assertThat(Devices.resolve("gpu")).isEqualTo(Device.gpu());
    }
}
