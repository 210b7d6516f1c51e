package dev.sidflow.stream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sidflow.serve.llm.LlmBackend;
import dev.sidflow.stream.kafka.KafkaClientSettings;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A job spec from {@code flink-jobs/*.yaml}: topics, model bundle, batching, parallelism and
 * checkpoints. Missing entries take the defaults of the real-time spec.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record JobSpec(String name, String mode, Kafka kafka, String bundle, String device,
                      Recommend recommend, History history, Batching batching, Watermarks watermarks,
                      int parallelism, Checkpoints checkpoints, Replay replay, Web web,
                      CatalogSource catalog, Metrics metrics, Generator generator) implements Serializable {

    public record Kafka(String bootstrap, String groupId, String startingOffsets, String format,
                        Topics topics, Map<String, String> properties) implements Serializable {
        /** Printed specs and logs never show secrets (sasl.jaas.config, ssl.*password*, ...). */
        @Override
        public String toString() {
            return "Kafka[bootstrap=" + bootstrap + ", groupId=" + groupId + ", startingOffsets=" + startingOffsets
                    + ", format=" + format + ", topics=" + topics + ", properties="
                    + dev.sidflow.stream.kafka.SecretRedaction.redact(properties) + "]";
        }
    }

    public record Topics(String events, String catalog, String recommendations, String deadLetters) implements Serializable {}

    public record Recommend(int topK, int beam) implements Serializable {}

    public record History(int length, int dedupWindow, String ttl) implements Serializable {}

    public record Batching(int maxBatchSize, String maxDelay) implements Serializable {}

    public record Watermarks(String maxOutOfOrderness, String idleTimeout) implements Serializable {}

    public record Checkpoints(String interval, String dir, boolean incremental, boolean retainOnCancel) implements Serializable {}

    /**
     * @param input       a canonical data set directory, a JSONL or Avro data file of events, or {@code kafka:TOPIC}
     * @param start       Kafka input: first position read (see {@link TopicRange})
     * @param stop        Kafka input: position where reading stops, exclusive
     * @param output      recommendations: a directory of JSONL files or {@code kafka:TOPIC}
     * @param deadLetters dead letters: a directory of JSONL files or {@code kafka:TOPIC}
     */
    public record Replay(String input, String start, String stop, String output, String deadLetters,
                         boolean evaluate) implements Serializable {
        public Replay withInput(String in) {
            return new Replay(in, start, stop, output, deadLetters, evaluate);
        }

        public Replay withRange(String from, String to) {
            return new Replay(input, from == null ? start : from, to == null ? stop : to, output, deadLetters, evaluate);
        }

        public Replay withOutput(String out) {
            return new Replay(input, start, stop, out, deadLetters, evaluate);
        }
    }

    public record Web(int port) implements Serializable {}

    public record CatalogSource(String data) implements Serializable {}

    /**
     * @param prometheusPort port of the Prometheus reporter (scrape http://127.0.0.1:PORT/metrics; loopback
     *                       only, see {@link LoopbackPrometheusReporterFactory}), 0 = off
     */
    public record Metrics(int prometheusPort) implements Serializable {}

    /**
     * Which generator leads the recommendations: {@code builtin} (the bundle's models) or
     * {@code openai} (an OpenAI-compatible server, called with Flink async I/O; the built-in models
     * validate-fill and take over on timeout, error or invalid output). See {@link LlmBackend}
     * for the fields; {@code capacity} = requests in flight per task, {@code ordered} = keep input order.
     */
    public record Generator(String backend, String url, String model, String api, long timeoutMs, int retries,
                            long retryDelayMs, int capacity, boolean ordered, int maxTokens, double temperature,
                            int choices, int maxHistory, String system, String apiKeyEnv) implements Serializable {}

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** Reads a spec, filling every entry it leaves out from the built-in real-time defaults. */
    public static JobSpec load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("job spec not found: " + file);
        try {
            JsonNode given = YAML.readTree(file.toFile());
            if (given == null || !given.isObject()) throw new IOException(file + ": expected a YAML mapping");
            JsonNode merged = merge(YAML.readTree(JobSpec.class.getResource("/default-job-spec.yaml")), given);
            return YAML.treeToValue(merged, JobSpec.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode merge(JsonNode base, JsonNode over) {
        if (base == null || !base.isObject() || !over.isObject()) return over;
        var out = ((com.fasterxml.jackson.databind.node.ObjectNode) base).deepCopy();
        over.fields().forEachRemaining(e -> out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue())));
        return out;
    }

    public JobSpec withBundle(String dir) {
        return new JobSpec(name, mode, kafka, dir, device, recommend, history, batching, watermarks, parallelism,
                checkpoints, replay, web, catalog, metrics, generator);
    }

    public JobSpec withKafka(Kafka k) {
        return new JobSpec(name, mode, k, bundle, device, recommend, history, batching, watermarks, parallelism,
                checkpoints, replay, web, catalog, metrics, generator);
    }

    public JobSpec withReplay(Replay r) {
        return new JobSpec(name, mode, kafka, bundle, device, recommend, history, batching, watermarks, parallelism,
                checkpoints, r, web, catalog, metrics, generator);
    }

    /** The LLM stage the generator section asks for, or null for the built-in generator. */
    public LlmStage llmStage() {
        if (generator == null || generator.backend() == null || generator.backend().equalsIgnoreCase("builtin")) return null;
        if (!generator.backend().equalsIgnoreCase("openai")) {
            throw new IllegalArgumentException("generator.backend must be builtin or openai, got \"" + generator.backend() + "\"");
        }
        if (generator.capacity() < 1) throw new IllegalArgumentException("generator.capacity must be >= 1");
        LlmBackend backend = new LlmBackend(generator.url(), generator.model(), generator.api(), generator.timeoutMs(),
                generator.retries(), generator.retryDelayMs(), generator.maxTokens(), generator.temperature(),
                generator.choices(), generator.maxHistory(), generator.system(), generator.apiKeyEnv());
        return new LlmStage(backend, bundle, generator.capacity(), generator.ordered());
    }

    public JobSpec withCatalog(CatalogSource c) {
        return new JobSpec(name, mode, kafka, bundle, device, recommend, history, batching, watermarks, parallelism,
                checkpoints, replay, web, c, metrics, generator);
    }

    public WorkflowSettings workflowSettings() {
        return new WorkflowSettings(history.length(), history.dedupWindow(), duration(history.ttl()),
                batching.maxBatchSize(), duration(batching.maxDelay()),
                duration(watermarks.maxOutOfOrderness()), duration(watermarks.idleTimeout()),
                Duration.ofDays(1), 512, parallelism, "replay".equals(mode));
    }

    /** Kafka client properties given in the spec (security settings and the like). */
    public Map<String, String> kafkaProperties() {
        return kafka.properties() == null ? Map.of() : new HashMap<>(kafka.properties());
    }

    /** Client settings of the job's cluster: its bootstrap servers and the spec's {@code kafka.properties}. */
    public KafkaClientSettings kafkaClient() {
        Properties extra = new Properties();
        extra.putAll(kafkaProperties());
        return new KafkaClientSettings(kafka.bootstrap(), extra);
    }

    /** Parses durations written as {@code 250ms}, {@code 5s}, {@code 10m}, {@code 2h}, {@code 30d} or ISO-8601. */
    public static Duration duration(String text) {
        if (text == null) throw new IllegalArgumentException("missing duration");
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        Map<String, Long> units = new LinkedHashMap<>();
        units.put("ms", 1L);
        units.put("s", 1000L);
        units.put("m", 60_000L);
        units.put("h", 3_600_000L);
        units.put("d", 86_400_000L);
        for (var u : units.entrySet()) {
            if (t.endsWith(u.getKey())) {
                String num = t.substring(0, t.length() - u.getKey().length()).trim();
                try {
                    return Duration.ofMillis(Math.multiplyExact(Long.parseLong(num), u.getValue()));
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new IllegalArgumentException("bad duration '" + text + "': use e.g. 250ms, 5s, 10m, 2h, 30d");
    }
}
