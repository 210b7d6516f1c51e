package dev.sidflow.cli;

import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.Item;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.stream.kafka.BrokerSettings;
import dev.sidflow.stream.kafka.LocalKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sidflow demo}, the README's first command, end to end with a small bundle: its own broker
 * process, the real-time job, published events, and title-mapped recommendations printed for each.
 */
class DemoCommandIT {
    private static final Pattern TRIGGER = Pattern.compile("(?m)^user \\S+ +after \"(.+)\" \\((\\d+) ms\\):$");
    private static final Pattern ITEM = Pattern.compile("(?m)^ +(\\d+)\\. \"(.+)\"(?: \\(L\\d match\\))?  -?\\d+\\.\\d{3}$");

    @Test
    void theDemoPrintsATitleMappedRecommendationForEveryEvent(@TempDir Path dir) throws Exception {
        int kafkaPort;
        try (ServerSocket s = new ServerSocket(0)) {
            kafkaPort = s.getLocalPort();
        }
        int webPort;
        try (ServerSocket s = new ServerSocket(0)) {
            webPort = s.getLocalPort();
        }
        Path job = dir.resolve("demo-job.yaml");
        Files.writeString(job, String.join("\n",
                "name: demo-it",
                "mode: realtime",
                "device: cpu",
                "batching: {maxBatchSize: 8, maxDelay: 10ms}",
                "checkpoints: {interval: 1s, dir: " + dir.resolve("checkpoints") + "}",
                "web: {port: " + webPort + "}"));
        StringWriter out = new StringWriter();
        var cl = SidflowCli.commandLine();
        cl.setOut(new PrintWriter(out));
        int code;
        try {
            code = cl.execute("demo", "--data", TinyBundle.data().toString(), "--bundle", TinyBundle.dir().toString(),
                    "--job", job.toString(), "--events", "20", "--rate", "40", "--show", "3",
                    "--kafka-dir", dir.resolve("kafka").toString(), "--kafka-port", Integer.toString(kafkaPort), "--stop-broker");
        } finally {
            // a failed run must not leave its broker process behind
            new LocalKafkaBroker(BrokerSettings.defaults(dir.resolve("kafka"), kafkaPort)).stop(Duration.ofSeconds(30));
        }

        String printed = out.toString();
        assertThat(code).as(printed).isZero();
        Set<String> titles = new HashSet<>();
        for (Item item : DatasetStore.read(TinyBundle.data()).items()) titles.add(item.title());
        List<String> triggers = all(TRIGGER, printed, 1);
        assertThat(triggers).hasSize(20).allSatisfy(t -> assertThat(titles).contains(t));
        assertThat(all(TRIGGER, printed, 2)).allSatisfy(ms -> assertThat(Long.parseLong(ms)).isPositive());
        List<String> shown = all(ITEM, printed, 2);
        assertThat(shown).hasSize(20 * 3).allSatisfy(t -> assertThat(titles).contains(t));
        assertThat(all(ITEM, printed, 1)).containsOnly("1", "2", "3");
        assertThat(printed).contains("== 20 recommendations for 20 events");
    }

    private static List<String> all(Pattern p, String text, int group) {
        List<String> out = new ArrayList<>();
        for (Matcher m = p.matcher(text); m.find(); ) out.add(m.group(group));
        return out;
    }
}
