package dev.sidflow.stream;

import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.Interaction;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.stream.kafka.EmbeddedKafka;
import dev.sidflow.stream.kafka.EventMapping;
import dev.sidflow.stream.kafka.SourceEvent;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operations surfaces of a running real-time job: the Prometheus endpoint ({@code metrics.prometheusPort})
 * serves the job's own metrics and listens on loopback only, and the Flink web UI answers on its
 * configured port.
 */
class PrometheusReporterIT {
    private static final Pattern RECOMMENDATIONS =
            Pattern.compile("(?m)^flink_taskmanager_job_task_operator_recommendations\\{[^}]*} (\\S+)$");
    private static final Pattern BATCHES =
            Pattern.compile("(?m)^flink_taskmanager_job_task_operator_batchSize_count\\{[^}]*} (\\S+)$");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aRunningJobsMetricsAreScrapedOnLoopbackAndItsWebUiAnswers(@TempDir Path dir) throws Exception {
        int prometheus = LocalFlinkClusterIT.freePort();
        int web = LocalFlinkClusterIT.freePort();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            for (String t : List.of("ev", "cat", "recs", "dlq")) kafka.createTopic(t, 1);
            Path file = dir.resolve("realtime.yaml");
            Files.writeString(file, String.join("\n",
                    "name: prometheus-it",
                    "mode: realtime",
                    "kafka: {bootstrap: '" + kafka.bootstrapServers() + "', groupId: prometheus-it, startingOffsets: earliest,",
                    "        topics: {events: ev, catalog: cat, recommendations: recs, deadLetters: dlq}}",
                    "bundle: " + TinyBundle.dir(),
                    "device: cpu",
                    "batching: {maxBatchSize: 4, maxDelay: 20ms}",
                    "checkpoints: {interval: 1s, dir: " + dir.resolve("checkpoints") + "}",
                    "web: {port: " + web + "}",
                    "metrics: {prometheusPort: " + prometheus + "}"));
            JobClient job = JobRunner.start(JobRunner.prepareLocal(JobSpec.load(file), true));
            try (KafkaProducer<byte[], byte[]> producer = CommittedOutput.producer(kafka.bootstrapServers())) {
                RecordCodec<InteractionEvent> avro = RecordCodec.of(InteractionEvent.class, WireFormat.AVRO);
                for (Interaction in : DatasetStore.read(TinyBundle.data()).interactions().subList(0, 10)) {
                    InteractionEvent e = EventMapping.toEvent(new SourceEvent(in, Map.of()));
                    producer.send(new ProducerRecord<>("ev", e.getUserId().getBytes(StandardCharsets.UTF_8), avro.encode(e)));
                }
                producer.flush();

                String metrics = "";
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (value(RECOMMENDATIONS, metrics) < 10 && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                    metrics = getOrEmpty("http://127.0.0.1:" + prometheus + "/metrics");
                }
                assertThat(value(RECOMMENDATIONS, metrics)).as(metrics).isEqualTo(10);
                assertThat(value(BATCHES, metrics)).isBetween(3.0, 10.0);  // batches of at most 4
                assertThat(metrics).contains("flink_taskmanager_job_task_operator_invalidSids{",
                        "flink_taskmanager_job_task_operator_decodedEvents{", "flink_taskmanager_job_task_operator_processingLatencyMillis{");

                List<ListeningSockets.Listener> reporter = ListeningSockets.ofProcess(ProcessHandle.current().pid()).listeners()
                        .stream().filter(l -> l.port() == prometheus).toList();
                assertThat(reporter).isNotEmpty().allSatisfy(l -> assertThat(l.loopback()).as("%s", l).isTrue());

                HttpResponse<String> config = get("http://127.0.0.1:" + web + "/config");
                assertThat(config.statusCode()).isEqualTo(200);
                assertThat(config.body()).contains("\"flink-version\"");
                HttpResponse<String> ui = get("http://127.0.0.1:" + web + "/");
                assertThat(ui.statusCode()).isEqualTo(200);
                assertThat(ui.body()).containsIgnoringCase("<html");
            } finally {
                job.cancel().get();
            }
        }
    }

    /** The sample's value, or -1 while the metric is not there yet. */
    private static double value(Pattern sample, String metrics) {
        Matcher m = sample.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static String getOrEmpty(String url) {
        try {
            HttpResponse<String> r = get(url);
            return r.statusCode() == 200 ? r.body() : "";
        } catch (Exception notUpYet) {
            return "";
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
