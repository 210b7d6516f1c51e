package dev.sidflow.stream.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka (KRaft, combined broker + controller) run as its own JVM from Kafka's jars,
 * main class {@code kafka.Kafka}. It outlives the command that started it; the PID file in the broker
 * directory is how later commands find it again.
 *
 * <p>Lifecycle: {@link #start()} writes server.properties, formats the storage on first use
 * ({@code kafka.tools.StorageTool format}), starts the process, waits until an AdminClient gets an answer,
 * then creates sidflow's topics. {@link #stop(Duration)} sends SIGTERM (controlled shutdown), then SIGKILL
 * after the grace period.
 */
public final class LocalKafkaBroker {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final String MAIN_CLASS = "kafka.Kafka";
    private static final String STORAGE_TOOL = "kafka.tools.StorageTool";

    private final BrokerSettings settings;

    public LocalKafkaBroker(BrokerSettings settings) {
        this.settings = settings;
    }

    public BrokerSettings settings() { return settings; }

    /** Result of {@link #start()}: the status and whether this call started the process. */
    public record StartResult(BrokerStatus status, boolean started, boolean formatted, List<String> createdTopics,
                              Duration elapsed) {}

    /**
     * Starts the broker unless the PID file names a live one, waits for it, creates missing topics.
     *
     * @throws IllegalStateException with the tail of broker.log when the broker exits or does not answer
     */
    public StartResult start() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Files.createDirectories(settings.dir());
        Optional<ProcessHandle> existing = runningProcess();
        boolean formatted = false;
        boolean started = false;
        String bootstrap;
        if (existing.isPresent()) {
            bootstrap = readState().getProperty("bootstrap", settings.bootstrapServers());
            LOG.info("broker already running (pid {}) at {}", existing.get().pid(), bootstrap);
        } else {
            bootstrap = settings.bootstrapServers();
            checkPortFree(settings.port());
            checkPortFree(settings.controllerPort());
            writeConfigFiles();
            formatted = formatIfNeeded();
            ProcessHandle process = launch();
            started = true;
            try {
                awaitReady(process, bootstrap);
            } catch (IllegalStateException | InterruptedException e) {
                kill(process, Duration.ofSeconds(5));
                Files.deleteIfExists(settings.pidFile());
                throw e;
            }
        }
        List<String> created;
        try (Admin admin = admin(bootstrap)) {
            created = TopicAdmin.ensureTopics(admin, settings.topics().newTopics(settings.partitions()));
        } catch (Exception e) {
            throw new IllegalStateException("broker at " + bootstrap + " is up but topics could not be created: "
                    + rootMessage(e), e);
        }
        return new StartResult(status(), started, formatted, created, Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * Stops the broker: SIGTERM, wait up to {@code grace}, then SIGKILL.
     *
     * @return true when a running broker was stopped, false when none was running
     */
    public boolean stop(Duration grace) throws IOException {
        Optional<ProcessHandle> process = runningProcess();
        if (process.isEmpty()) {
            Files.deleteIfExists(settings.pidFile());
            return false;
        }
        kill(process.get(), grace);
        Files.deleteIfExists(settings.pidFile());
        return true;
    }

    /** Whether the broker runs, where, and its topics (asking the broker for at most a few seconds). */
    public BrokerStatus status() throws IOException {
        boolean hadPidFile = Files.exists(settings.pidFile());
        Optional<ProcessHandle> process = runningProcess();
        Properties state = readState();
        String bootstrap = state.getProperty("bootstrap", settings.bootstrapServers());
        if (process.isEmpty()) {
            String note = null;
            if (hadPidFile) {
                Files.deleteIfExists(settings.pidFile());
                note = "stale PID file removed (the broker had exited; see the log)";
            }
            return new BrokerStatus(false, -1, bootstrap, settings.dir(), settings.logFile(), Map.of(), note);
        }
        Map<String, Integer> topics = Map.of();
        String note = null;
        try (Admin admin = admin(bootstrap)) {
            topics = TopicAdmin.partitionCounts(admin, 5000);
        } catch (Exception e) {
            note = "process is alive but the broker does not answer yet: " + rootMessage(e);
        }
        return new BrokerStatus(true, process.get().pid(), bootstrap, settings.dir(), settings.logFile(), topics, note);
    }

    // ---- process management --------------------------------------------------------------------

    /** The live broker process named by the PID file, if it is really our kafka.Kafka (PIDs get reused). */
    Optional<ProcessHandle> runningProcess() throws IOException {
        Path pidFile = settings.pidFile();
        if (!Files.exists(pidFile)) return Optional.empty();
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isOurBroker);
    }

    private boolean isOurBroker(ProcessHandle p) {
        Optional<String> cmd = commandLine(p);
        // without a visible command line (other OSes, other users) trust the PID file
        return cmd.isEmpty() || (cmd.get().contains(MAIN_CLASS) && cmd.get().contains(settings.serverProperties().toString()));
    }

    /**
     * The full command line: /proc first, because ProcessHandle.Info truncates long ones (and Kafka's
     * classpath is long), which would hide the main class at the end.
     */
    static Optional<String> commandLine(ProcessHandle p) {
        Path proc = Path.of("/proc", Long.toString(p.pid()), "cmdline");
        try {
            if (Files.isReadable(proc)) {
                String cmd = new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ').trim();
                if (!cmd.isEmpty()) return Optional.of(cmd);
            }
        } catch (IOException e) {
            // fall through
        }
        return p.info().commandLine();
    }

    private static void kill(ProcessHandle p, Duration grace) {
        p.destroy(); // SIGTERM: Kafka runs its controlled shutdown
        try {
            p.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (Exception timeoutOrInterrupt) {
            LOG.warn("broker pid {} did not exit within {} s; sending SIGKILL", p.pid(), grace.toSeconds());
        }
        p.destroyForcibly();
        try {
            p.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("broker pid " + p.pid() + " survived SIGKILL", e);
        }
    }

    private ProcessHandle launch() throws IOException {
        List<String> cmd = new ArrayList<>();
        // own session: closing the terminal that ran `sidflow kafka start` must not take the broker down
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) cmd.add("/usr/bin/setsid");
        cmd.addAll(javaCommand());
        cmd.addAll(List.of("-Xms" + Math.min(256, settings.heapMb()) + "m", "-Xmx" + settings.heapMb() + "m",
                "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + settings.log4jConfig().toUri(),
                "-Dkafka.logs.dir=" + settings.dir(),
                "-cp", kafkaClasspath(), MAIN_CLASS, settings.serverProperties().toString()));
        Files.writeString(settings.logFile(), "==== " + Instant.now() + " starting broker: " + settings.bootstrapServers()
                + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(settings.dir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(settings.logFile().toFile()));
        pb.environment().remove("KAFKA_OPTS");
        Process process = pb.start();
        ProcessHandle broker = findBroker(process.toHandle());
        Files.writeString(settings.pidFile(), broker.pid() + "\n");
        Properties state = new Properties();
        state.setProperty("pid", Long.toString(broker.pid()));
        state.setProperty("bootstrap", settings.bootstrapServers());
        state.setProperty("controller", settings.host() + ":" + settings.controllerPort());
        state.setProperty("started_at", Instant.now().toString());
        try (Writer w = Files.newBufferedWriter(settings.stateFile())) {
            state.store(w, "sidflow local Kafka broker");
        }
        LOG.info("started broker pid {} (log {})", broker.pid(), settings.logFile());
        return broker;
    }

    /** setsid normally execs in place; if it forked instead, the broker is its child. */
    private static ProcessHandle findBroker(ProcessHandle launched) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (commandLine(launched).map(c -> c.contains(MAIN_CLASS)).orElse(true)) return launched;
            Optional<ProcessHandle> child = launched.descendants()
                    .filter(d -> commandLine(d).map(c -> c.contains(MAIN_CLASS)).orElse(false)).findFirst();
            if (child.isPresent()) return child.get();
            if (!launched.isAlive()) return launched;
            sleep(20);
        }
        return launched;
    }

    private void awaitReady(ProcessHandle process, String bootstrap) throws InterruptedException {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline && !acceptsConnections(settings.host(), settings.port())) {
            if (!process.isAlive()) break;
            Thread.sleep(200);
        }
        try (Admin admin = admin(bootstrap)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited during startup; last lines of "
                            + settings.logFile() + ":\n" + logTail(25));
                }
                try {
                    var nodes = admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) return;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e;
                }
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("the Kafka broker did not answer at " + bootstrap + " within "
                + settings.startTimeout().toSeconds() + " s (" + (last == null ? "no answer" : rootMessage(last))
                + "); last lines of " + settings.logFile() + ":\n" + logTail(25));
    }

    // ---- files -------------------------------------------------------------------------------

    private void writeConfigFiles() throws IOException {
        Files.write(settings.serverProperties(), settings.serverPropertiesLines(), StandardCharsets.UTF_8);
        Files.write(settings.log4jConfig(), List.of(
                "# Broker logging: stdout, which `sidflow kafka start` appends to broker.log",
                "status = warn",
                "appender.out.type = Console",
                "appender.out.name = STDOUT",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.out.ref = STDOUT",
                "logger.clients.name = org.apache.kafka.clients",
                "logger.clients.level = WARN",
                "logger.state.name = state.change.logger",
                "logger.state.level = WARN"), StandardCharsets.UTF_8);
    }

    /** Formats log.dirs with a fresh cluster id unless it was formatted before. */
    private boolean formatIfNeeded() throws IOException, InterruptedException {
        if (Files.exists(settings.dataDir().resolve("meta.properties"))) return false;
        String clusterId = Uuid.randomUuid().toString();
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(List.of("-Xmx256m", "-Dlog4j2.configurationFile=" + settings.log4jConfig().toUri(),
                "-cp", kafkaClasspath(), STORAGE_TOOL,
                "format", "-t", clusterId, "-c", settings.serverProperties().toString()));
        Process p = new ProcessBuilder(cmd).directory(settings.dir().toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("formatting Kafka storage in " + settings.dataDir() + " failed:\n" + output);
        }
        Files.writeString(settings.dir().resolve("cluster.id"), clusterId + "\n");
        LOG.info("formatted {} (cluster id {})", settings.dataDir(), clusterId);
        return true;
    }

    private Properties readState() throws IOException {
        Properties p = new Properties();
        if (Files.exists(settings.stateFile())) {
            try (Reader r = Files.newBufferedReader(settings.stateFile())) {
                p.load(r);
            }
        }
        return p;
    }

    /** The last lines of broker.log, for error messages. */
    public String logTail(int lines) {
        try {
            if (!Files.exists(settings.logFile())) return "(no log)";
            List<String> all = Files.readAllLines(settings.logFile(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    // ---- environment -------------------------------------------------------------------------

    private static List<String> javaCommand() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return List.of(java.toString());
    }

    /**
     * Kafka's jars: the configured classpath; else target/runtime.classpath written by the build (under
     * -Dsidflow.home or the working directory); else this JVM's own classpath.
     */
    String kafkaClasspath() throws IOException {
        if (settings.jvmClasspath() != null && !settings.jvmClasspath().isBlank()) return settings.jvmClasspath();
        List<Path> candidates = new ArrayList<>();
        String home = System.getProperty("sidflow.home");
        if (home != null) candidates.add(Path.of(home, "target", "runtime.classpath"));
        candidates.add(Path.of("target", "runtime.classpath").toAbsolutePath());
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                String cp = Files.readString(c).trim();
                if (cp.contains("kafka_2.13")) return cp;
            }
        }
        String own = System.getProperty("java.class.path");
        if (own == null || own.isBlank()) {
            throw new IllegalStateException("cannot find Kafka's jars: no target/runtime.classpath and no java.class.path");
        }
        return own;
    }

    private static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        return Admin.create(p);
    }

    private static boolean acceptsConnections(String host, int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void checkPortFree(int port) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(settings.host()), port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on " + settings.host()
                    + " is already in use (another Kafka?); choose others with --port / --controller-port");
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
