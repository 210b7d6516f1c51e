package dev.sidflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** CPU time and resident memory of a process (this JVM or another one, e.g. the broker). */
public final class ProcessStats {
    private ProcessStats() {}

    /** A reading: total CPU time used so far and resident set size now. */
    public record Sample(long wallNanos, long cpuNanos, long rssBytes) {
        /** Cores kept busy between {@code earlier} and this sample. */
        public double coresSince(Sample earlier) {
            long wall = wallNanos - earlier.wallNanos;
            return wall <= 0 ? 0 : (double) (cpuNanos - earlier.cpuNanos) / wall;
        }
    }

    public static Sample self() {
        return of(ProcessHandle.current().pid());
    }

    /** A sample of process {@code pid}; CPU 0 / RSS 0 when the OS does not say. */
    public static Sample of(long pid) {
        long cpu = ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
        return new Sample(System.nanoTime(), cpu, rssBytes(pid).orElse(0L));
    }

    /** VmRSS from /proc (Linux). */
    public static Optional<Long> rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) return Optional.of(parseKb(line) * 1024);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return Optional.empty();
    }

    static long parseKb(String statusLine) {
        String v = statusLine.substring(statusLine.indexOf(':') + 1).trim();
        return Long.parseLong(v.split("\\s+")[0]);
    }
}
