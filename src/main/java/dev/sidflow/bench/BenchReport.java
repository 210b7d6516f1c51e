package dev.sidflow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a benchmark's markdown and JSON results side by side, stamped with time and machine. */
public final class BenchReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .findAndRegisterModules();

    private BenchReport() {}

    /** The machine a result was measured on. */
    public static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", cpuModel());
        m.put("loadAverageAtStart", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        m.put("java", System.getProperty("java.version"));
        return m;
    }

    static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) return l.substring(l.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /** @return the path of the markdown file; the JSON file has the same name with .json */
    public static Path write(Path dir, String name, String markdown, Object result) throws IOException {
        Files.createDirectories(dir);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path md = dir.resolve(name + "-" + stamp + ".md");
        Map<String, Object> machine = machine();
        Files.writeString(md, markdown + "\n\nMachine: " + machine + "\n");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", name);
        json.put("time", Instant.now().toString());
        json.put("machine", machine);
        json.put("result", result);
        JSON.writeValue(dir.resolve(name + "-" + stamp + ".json").toFile(), json);
        return md;
    }
}
