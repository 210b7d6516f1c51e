package dev.sidflow.stream;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real standalone Flink session cluster on this machine: a JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and a TaskManager ({@code TaskManagerRunner}), each
 * its own JVM started from the resolved Flink jars (flink-dist is not on Maven Central), bound to
 * 127.0.0.1. The TaskManager's memory and CPU settings are computed the way Flink's own start
 * scripts compute them. Processes are tracked by PID files under the cluster directory.
 */
public final class LocalFlinkCluster {
    /** One client for every REST poll (a client owns a thread pool and a connection cache). */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static final Logger LOG = LoggerFactory.getLogger(LocalFlinkCluster.class);
    static final String JM_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TM_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

    /**
     * @param dir       configuration, logs and PID files
     * @param restPort  REST API and web UI
     * @param rpcPort   JobManager RPC
     * @param slots     task slots of the TaskManager
     * @param tmMemory  TaskManager process size, e.g. "3g"
     * @param jvmOpens  the --add-opens/--add-exports flags Flink needs on JDK 17
     * @param classpath Flink's jars
     */
    public record Settings(Path dir, int restPort, int rpcPort, int slots, String tmMemory, String jvmOpens, String classpath) {
        public Path confDir() { return dir.resolve("conf"); }
        public Path pidFile(String role) { return dir.resolve(role + ".pid"); }
        public Path logFile(String role) { return dir.resolve("log").resolve(role + ".log"); }
        public String restAddress() { return "127.0.0.1:" + restPort; }
    }

    private final Settings settings;
    private final java.util.Map<String, String> extraConfig = new java.util.LinkedHashMap<>();

    /** The --add-opens/--add-exports flags this JVM was started with; the cluster's JVMs need the same. */
    public static String jvmOpensOfThisJvm() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports"))
                .collect(java.util.stream.Collectors.joining(" "));
    }

    /**
     * This JVM's classpath without sidflow's own classes (target/classes or the project jar): the
     * cluster must load those from the submitted job jar only, or the same class would come from
     * two class loaders.
     */
    public static String flinkClasspathOfThisJvm() {
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.endsWith("target/classes") && !e.endsWith("target/test-classes")
                        && !Path.of(e).getFileName().toString().matches("sidflow-.*\\.jar"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    public LocalFlinkCluster(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() { return settings; }

    /**
     * Adds or overrides a config.yaml entry, e.g. faster heartbeats so a killed TaskManager is noticed
     * in seconds in a test; written on the next {@link #start}.
     */
    public LocalFlinkCluster withConfig(String key, String value) {
        extraConfig.put(key, value);
        return this;
    }

    /** Starts whatever is not running yet and waits until the TaskManager has registered. */
    public void start(Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(settings.confDir());
        Files.createDirectories(settings.dir().resolve("log"));
        writeConfig();
        if (running("jobmanager").isEmpty()) launch("jobmanager", JM_MAIN, List.of("-Xmx768m"), List.of());
        if (running("taskmanager").isEmpty()) startTaskManager();
        awaitTaskManagers(1, timeout);
    }

    /** Starts a TaskManager with the JVM and resource settings Flink's scripts would compute. */
    public void startTaskManager() throws IOException {
        Configuration conf = GlobalConfiguration.loadConfiguration(settings.confDir().toString());
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
        List<String> jvm = new ArrayList<>(Arrays.asList(ProcessMemoryUtils.generateJvmParametersStr(spec).trim().split("\\s+")));
        List<String> dynamic = new ArrayList<>(Arrays.asList(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec).trim().split("\\s+")));
        launch("taskmanager", TM_MAIN, jvm, dynamic);
    }

    /** SIGKILLs the TaskManager (fault injection); returns false when none was running. */
    public boolean killTaskManager() throws IOException {
        Optional<ProcessHandle> tm = running("taskmanager");
        tm.ifPresent(ProcessHandle::destroyForcibly);
        tm.ifPresent(p -> p.onExit().join());
        Files.deleteIfExists(settings.pidFile("taskmanager"));
        return tm.isPresent();
    }

    public void stop() throws IOException {
        for (String role : List.of("taskmanager", "jobmanager")) {
            Optional<ProcessHandle> p = running(role);
            if (p.isPresent()) {
                p.get().destroy();
                try {
                    p.get().onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.get().destroyForcibly();
                }
            }
            Files.deleteIfExists(settings.pidFile(role));
        }
    }

    public boolean isRunning() throws IOException {
        return running("jobmanager").isPresent();
    }

    /** The REST /overview answer (task managers, slots, jobs), or empty when nothing answers. */
    public Optional<String> overview() {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://" + settings.restAddress() + "/overview"))
                            .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Waits until {@code count} TaskManagers have registered and their slots are offered. A
     * TaskManager registers before it reports its slots, so a count of task managers alone can
     * show a cluster that cannot run a job yet.
     */
    public void awaitTaskManagers(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Overview> o = overview().map(Overview::parse);
            if (o.isPresent() && o.get().taskManagers() >= count && o.get().slotsTotal() >= count * settings.slots()) return;
            Thread.sleep(500);
        }
        throw new IllegalStateException("the Flink cluster at " + settings.restAddress() + " did not get " + count
                + " TaskManager(s) with " + settings.slots() + " slot(s) each within " + timeout.toSeconds()
                + " s; see " + settings.dir().resolve("log"));
    }

    /** The counts of a REST /overview answer; zeros when they are missing or the answer is not JSON. */
    record Overview(int taskManagers, int slotsTotal) {
        static Overview parse(String overviewJson) {
            try {
                var tree = JSON.readTree(overviewJson);
                return new Overview(tree.path("taskmanagers").asInt(0), tree.path("slots-total").asInt(0));
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                return new Overview(0, 0);
            }
        }
    }

    private void writeConfig() throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "# written by sidflow: a local standalone cluster on 127.0.0.1",
                "jobmanager.rpc.address: 127.0.0.1",
                "jobmanager.rpc.port: " + settings.rpcPort(),
                "jobmanager.bind-host: 127.0.0.1",
                "jobmanager.memory.process.size: 1024m",
                "taskmanager.bind-host: 127.0.0.1",
                "taskmanager.host: 127.0.0.1",
                "taskmanager.numberOfTaskSlots: " + settings.slots(),
                "taskmanager.memory.process.size: " + settings.tmMemory(),
                "rest.address: 127.0.0.1",
                "rest.bind-address: 127.0.0.1",
                "rest.port: " + settings.restPort(),
                "state.backend.type: rocksdb",
                "restart-strategy.type: exponential-delay",
                "env.java.opts.all: " + settings.jvmOpens()));
        lines.removeIf(l -> extraConfig.containsKey(l.split(":", 2)[0]));
        extraConfig.forEach((k, v) -> lines.add(k + ": " + v));
        Files.write(settings.confDir().resolve("config.yaml"), lines, StandardCharsets.UTF_8);
        Files.write(settings.confDir().resolve("log4j.properties"), List.of(
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = MainAppender",
                "appender.main.name = MainAppender",
                "appender.main.type = File",
                "appender.main.append = true",
                "appender.main.fileName = ${sys:log.file}",
                "appender.main.layout.type = PatternLayout",
                "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %c - %m%n"), StandardCharsets.UTF_8);
    }

    private void launch(String role, String mainClass, List<String> jvmArgs, List<String> programArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) cmd.add("/usr/bin/setsid");
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(settings.jvmOpens().trim().split("\\s+")));
        cmd.addAll(jvmArgs);
        cmd.add("-Dlog.file=" + settings.logFile(role));
        cmd.add("-Dlog4j.configurationFile=" + settings.confDir().resolve("log4j.properties").toUri());
        cmd.add("-Dai.djl.offline=true");
        cmd.addAll(List.of("-cp", settings.classpath(), mainClass, "--configDir", settings.confDir().toString()));
        cmd.addAll(programArgs);
        Process p = new ProcessBuilder(cmd).directory(settings.dir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(settings.dir().resolve("log").resolve(role + ".out").toFile()))
                .start();
        Files.writeString(settings.pidFile(role), p.pid() + "\n");
        LOG.info("started Flink {} pid {} (log {})", role, p.pid(), settings.logFile(role));
    }

    private Optional<ProcessHandle> running(String role) throws IOException {
        Path pid = settings.pidFile(role);
        if (!Files.exists(pid)) return Optional.empty();
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).filter(ProcessHandle::isAlive);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
