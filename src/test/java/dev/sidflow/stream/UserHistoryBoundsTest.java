package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dev.sidflow.stream.UserHistoryFunctionTest.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user with 100,000 events: the RocksDB state kept for them stays at N items and the dedup
 * window, so its serialized size after 100k events equals its size after the first few hundred.
 */
class UserHistoryBoundsTest {
    private static final int N = 20;
    private static final int DEDUP = 64;

    @Test
    void stateOfAUserWith100kEventsIsBoundedByNAndTheDedupWindow() throws Exception {
        Set<String> items = Set.of("i0", "i1", "i2", "i3", "i4", "i5", "i6");
        var h = new KeyedBroadcastOperatorTestHarness<String, SourcedEvent, CatalogItem, UserRequest>(
                new CoBroadcastWithKeyedOperator<>(new UserHistoryFunction(items, N, DEDUP, Duration.ofDays(30).toMillis()),
                        List.of(UserHistoryFunction.CATALOG_CHANGES)),
                e -> e.event.getUserId(), Types.STRING, 128, 1, 0);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
        TypeSerializer<UserHistory> serializer = TypeInformation.of(UserHistory.class).createSerializer(new SerializerConfigImpl());
        int sizeAfter1k = 0;
        long t0 = 1_700_000_000_000L;
        try {
            for (int i = 0; i < 100_000; i++) {
                h.processElement(event(String.format("e%07d", i), "heavy", "i" + (i % 7), t0 + i), t0 + i);
                if (i % 1000 == 999) {
                    List<UserRequest> out = h.extractOutputValues();
                    assertThat(out).hasSize(1000);
                    assertThat(out.get(out.size() - 1).history).hasSize(Math.min(i + 1, N));
                    h.getOutput().clear();
                }
                if (i == 999) sizeAfter1k = serializedSize(serializer, (UserHistory) UserHistoryStateEvolutionTest.stateOf(h, "heavy"));
            }
            UserHistory state = (UserHistory) UserHistoryStateEvolutionTest.stateOf(h, "heavy");
            assertThat(state.eventCount).isEqualTo(100_000);
            assertThat(state.itemIds).hasSize(N);
            assertThat(state.itemIds[N - 1]).isEqualTo("i" + (99_999 % 7));
            assertThat(state.recentEventIds).hasSize(DEDUP).endsWith("e0099999");
            assertThat(serializedSize(serializer, state)).isEqualTo(sizeAfter1k).isLessThan(2_000);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);  // one expiry timer per user, not per event
        } finally {
            h.close();
        }
    }

    private static int serializedSize(TypeSerializer<UserHistory> serializer, UserHistory h) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(h, out);
        return out.length();
    }
}
