package dev.sidflow.stream.kafka;

import java.nio.file.Path;
import java.util.Map;

/**
 * What `sidflow kafka status` reports.
 *
 * @param running   whether the broker process recorded in the PID file is alive
 * @param pid       its process id, or -1
 * @param bootstrap its bootstrap servers, or null when unknown
 * @param topics    topic -> partitions, empty when stopped or unreachable
 * @param note      extra information (e.g. "not answering", "stale PID file removed"), or null
 */
public record BrokerStatus(boolean running, long pid, String bootstrap, Path dir, Path logFile,
                           Map<String, Integer> topics, String note) {

    public BrokerStatus {
        topics = topics == null ? Map.of() : Map.copyOf(topics);
    }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("kafka: ").append(running ? "running (pid " + pid + ")" : "stopped").append('\n');
        if (bootstrap != null) sb.append("bootstrap: ").append(bootstrap).append('\n');
        sb.append("dir: ").append(dir).append('\n');
        sb.append("log: ").append(logFile).append('\n');
        if (note != null) sb.append("note: ").append(note).append('\n');
        if (running && !topics.isEmpty()) {
            sb.append("topics:\n");
            new java.util.TreeMap<>(topics).forEach((t, p) ->
                    sb.append(String.format("  %-32s %d partition%s%n", t, p, p == 1 ? "" : "s")));
        }
        return sb.toString();
    }
}
