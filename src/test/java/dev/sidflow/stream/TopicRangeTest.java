package dev.sidflow.stream;

import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicRangeTest {
    private static final TopicPartition P0 = new TopicPartition("ev", 0);
    private static final TopicPartition P1 = new TopicPartition("ev", 1);

    /** Answers like a two-partition topic: offsets 0..100 and 0..200, timestamp t at offset t/10. */
    private static final OffsetsInitializer.PartitionOffsetsRetriever TOPIC = new OffsetsInitializer.PartitionOffsetsRetriever() {
        @Override
        public Map<TopicPartition, Long> committedOffsets(Collection<TopicPartition> partitions) {
            return Map.of(); // a replay never commits offsets
        }

        @Override
        public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
            Map<TopicPartition, Long> m = new HashMap<>();
            for (TopicPartition p : partitions) m.put(p, p.partition() == 0 ? 100L : 200L);
            return m;
        }

        @Override
        public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
            Map<TopicPartition, Long> m = new HashMap<>();
            for (TopicPartition p : partitions) m.put(p, 0L);
            return m;
        }

        @Override
        public Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> ts) {
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndTimestamp> m = new HashMap<>();
            ts.forEach((p, t) -> m.put(p, new org.apache.kafka.clients.consumer.OffsetAndTimestamp(t / 10, t)));
            return m;
        }
    };

    private static Map<TopicPartition, Long> offsets(OffsetsInitializer init) {
        return init.getPartitionOffsets(List.of(P0, P1), TOPIC);
    }

    @Test
    void boundsResolveToOffsetsPerPartition() {
        TopicRange r = new TopicRange("ev", "0:7,1:9", "1:150");
        assertThat(offsets(r.startingOffsets())).containsEntry(P0, 7L).containsEntry(P1, 9L);
        assertThat(offsets(r.stoppingOffsets())).containsEntry(P0, 100L).containsEntry(P1, 150L);
        assertThat(r.stoppingOffsets().getAutoOffsetResetStrategy()).isEqualTo(OffsetResetStrategy.LATEST);

        assertThat(r.contains(0)).isTrue(); // offsets bound positions, not times

        // times seek the start, read to the end and keep exactly the records stamped in [500, 1000)
        TopicRange byTime = new TopicRange("ev", "500", "1970-01-01T00:00:01Z");
        assertThat(offsets(byTime.startingOffsets())).containsEntry(P0, 50L).containsEntry(P1, 50L);
        assertThat(offsets(byTime.stoppingOffsets())).containsEntry(P0, 100L).containsEntry(P1, 200L);
        assertThat(byTime.contains(499)).isFalse();
        assertThat(byTime.contains(500)).isTrue();
        assertThat(byTime.contains(999)).isTrue();
        assertThat(byTime.contains(1000)).isFalse();

        TopicRange all = new TopicRange("ev", null, " ");
        assertThat(all.start()).isEqualTo("earliest");
        assertThat(all.stop()).isEqualTo("latest");
        // earliest is resolved by each partition's reader; latest is fixed when the job starts
        assertThat(offsets(all.startingOffsets())).containsEntry(P0, KafkaPartitionSplit.EARLIEST_OFFSET);
        assertThat(offsets(all.stoppingOffsets())).containsEntry(P1, 200L);
        assertThat(all.contains(Long.MIN_VALUE)).isTrue();
        assertThat(Instant.parse("2024-01-02T03:04:05Z").toEpochMilli()).isEqualTo(1704164645000L);
    }

    @Test
    void badBoundsAreClearErrors() {
        assertThatThrownBy(() -> new TopicRange("ev", "yesterday", "latest"))
                .hasMessageContaining("bad replay start 'yesterday'").hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> new TopicRange("ev", "earliest", "0:1:2")).hasMessageContaining("bad replay stop");
        assertThatThrownBy(() -> new TopicRange("ev", "0:1,0:2", "latest")).hasMessageContaining("partition 0 twice");
        assertThatThrownBy(() -> new TopicRange("ev", "latest", "latest")).hasMessageContaining("would read nothing");
        assertThatThrownBy(() -> new TopicRange("ev", "earliest", "earliest")).hasMessageContaining("would read nothing");
        assertThatThrownBy(() -> new TopicRange(" ", "earliest", "latest")).hasMessageContaining("topic is missing");
    }
}
