package dev.sidflow.stream;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a fault scenario did to the committed (read_committed) output. docs/reliability.md quotes
 * {@link #line()}, which every fault-tolerance IT prints.
 *
 * @param faults              faults injected (job failures, process kills, broker restarts)
 * @param restarts            job restarts Flink counted (numRestarts)
 * @param produced            records written to the events topic, good and bad
 * @param accepted            distinct good events with a committed recommendation
 * @param deadLettered        distinct source records (partition, offset) in the committed dead letters
 * @param committed           committed recommendation records, duplicates included
 * @param lost                good events without a committed recommendation
 * @param duplicated          committed recommendations beyond the first per event
 * @param deadLetterCopies    committed dead letters beyond the first per source record
 * @param unexpected          committed recommendations for events never sent as good ones
 * @param deadLetterReasons   committed dead letters per reason code
 */
record ReliabilityReport(String scenario, int faults, int restarts, int produced, int accepted, int deadLettered, int committed,
                         int lost, int duplicated, int deadLetterCopies, int unexpected,
                         Map<String, Integer> deadLetterReasons, double seconds) {

    String line() {
        return String.format(java.util.Locale.ROOT,
                "RELIABILITY scenario=%s faults=%d restarts=%d produced=%d accepted=%d dead-lettered=%d committed=%d lost=%d"
                        + " duplicated=%d dead-letter-copies=%d unexpected=%d reasons=%s seconds=%.1f",
                scenario, faults, restarts, produced, accepted, deadLettered, committed, lost, duplicated, deadLetterCopies,
                unexpected, deadLetterReasons, seconds);
    }

    /** Exactly once: every good event has one recommendation, every bad record one dead letter, nothing else. */
    void assertExactlyOnce(FaultWorkload workload) {
        assertThat(lost).as("lost: " + line()).isZero();
        assertThat(duplicated).as("duplicated: " + line()).isZero();
        assertThat(deadLetterCopies).as("dead letters written twice: " + line()).isZero();
        assertThat(unexpected).as("recommendations for events never sent: " + line()).isZero();
        assertThat(accepted).isEqualTo(workload.goodSent());
        assertThat(deadLetterReasons).isEqualTo(workload.badSent());
        assertThat(accepted + deadLettered).as("accepted + dead-lettered = produced").isEqualTo(produced);
    }
}
