package dev.sidflow.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessStatsTest {

    @Test
    void parsesProcStatusLines() {
        assertThat(ProcessStats.parseKb("VmRSS:\t  123456 kB")).isEqualTo(123456);
    }

    @Test
    void thisJvmUsesCpuAndMemory() {
        ProcessStats.Sample a = ProcessStats.self();
        long x = 0;
        for (int i = 0; i < 50_000_000; i++) x += i ^ (x >>> 3);
        ProcessStats.Sample b = ProcessStats.self();
        assertThat(x).isNotZero();
        assertThat(b.cpuNanos()).isGreaterThan(a.cpuNanos());
        assertThat(b.rssBytes()).isGreaterThan(10L << 20);
        assertThat(b.coresSince(a)).isGreaterThan(0);
    }
}
