package dev.sidflow.stream;

import dev.sidflow.schema.DeadLetter;
import dev.sidflow.stream.kafka.KafkaClientSettings;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** What a fault scenario's committed output says about loss and duplicates, read with {@link CommittedOutput}. */
final class FaultAudit {
    private FaultAudit() {}

    /** Distinct events with a committed recommendation so far (reads for 2 s). */
    static int countCommitted(String bootstrap, String recsTopic, String dlqTopic) {
        return CommittedOutput.readUntil(bootstrap, recsTopic, dlqTopic, Integer.MAX_VALUE, Integer.MAX_VALUE,
                Duration.ofSeconds(2)).counts().size();
    }

    /**
     * Reads until the workload's expected counts are there (or {@code timeout}), and a little longer
     * so that copies committed late would show, then reports; {@code restarts} is asked last, while
     * the job still runs.
     */
    static ReliabilityReport audit(String scenario, int faults, Callable<Integer> restarts, FaultWorkload workload, String bootstrap,
                                   String recsTopic, String dlqTopic, Duration timeout, long startNanos) throws Exception {
        return audit(scenario, faults, restarts, workload, KafkaClientSettings.of(bootstrap), recsTopic, dlqTopic, timeout, startNanos);
    }

    /** As above, reading with a client's settings (a secured cluster's). */
    static ReliabilityReport audit(String scenario, int faults, Callable<Integer> restarts, FaultWorkload workload, KafkaClientSettings client,
                                   String recsTopic, String dlqTopic, Duration timeout, long startNanos) throws Exception {
        CommittedOutput out = CommittedOutput.readUntil(client, recsTopic, dlqTopic, workload.goodSent(), workload.badCount(), timeout);
        Set<String> good = workload.goodIds();
        int accepted = 0;
        int unexpected = 0;
        int committed = 0;
        for (Map.Entry<String, Integer> e : out.counts().entrySet()) {
            committed += e.getValue();
            if (good.contains(e.getKey())) accepted++;
            else unexpected += e.getValue();
        }
        // dead letters are identified by the source record they reject
        Map<String, Integer> bySource = new HashMap<>();
        Map<String, Integer> reasons = new TreeMap<>();
        for (DeadLetter d : out.deadLetters()) {
            bySource.merge(d.getSourcePartition() + "/" + d.getSourceOffset(), 1, Integer::sum);
            reasons.merge(d.getErrorClass(), 1, Integer::sum);
        }
        int dlCopies = bySource.values().stream().mapToInt(n -> n - 1).sum();
        return new ReliabilityReport(scenario, faults, restarts.call(), workload.produced(), accepted, bySource.size(), committed,
                good.size() - accepted, committed - out.counts().size(), dlCopies, unexpected,
                Map.copyOf(reasons), (System.nanoTime() - startNanos) / 1e9);
    }
}
