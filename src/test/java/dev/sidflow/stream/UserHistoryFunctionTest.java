package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.EventType;
import dev.sidflow.schema.InteractionEvent;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class UserHistoryFunctionTest {
    private static final long TTL = Duration.ofDays(1).toMillis();
    private KeyedBroadcastOperatorTestHarness<String, SourcedEvent, CatalogItem, UserRequest> harness;

    @BeforeEach
    void setUp() throws Exception {
        UserHistoryFunction fn = new UserHistoryFunction(Set.of("i1", "i2", "i3", "i4"), 3, 4, TTL);
        harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                fn, e -> e.event.getUserId(), Types.STRING, UserHistoryFunction.CATALOG_CHANGES);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    static SourcedEvent event(String id, String user, String item, long t) {
        return event(id, user, item, t, EventType.PURCHASE);
    }

    static SourcedEvent event(String id, String user, String item, long t, EventType type) {
        InteractionEvent e = InteractionEvent.newBuilder().setEventId(id).setUserId(user).setItemId(item)
                .setEventType(type).setEventTime(Instant.ofEpochMilli(t)).build();
        RawRecord raw = new RawRecord(null, id.getBytes(), "events", 0, t, t);
        return new SourcedEvent(e, raw, 1L);
    }

    private List<UserRequest> requests() {
        return harness.extractOutputValues();
    }

    private List<DeadLetter> deadLetters() {
        return harness.getSideOutput(DeadLetters.TAG) == null ? List.of()
                : harness.getSideOutput(DeadLetters.TAG).stream().map(r -> r.getValue()).toList();
    }

    @Test
    void keepsTheLastNItemsPerUserOldestFirst() throws Exception {
        harness.processElement(event("e1", "u", "i1", 1000), 1000);
        harness.processElement(event("e2", "u", "i2", 2000), 2000);
        harness.processElement(event("e3", "v", "i3", 2500), 2500);
        harness.processElement(event("e4", "u", "i3", 3000), 3000);
        harness.processElement(event("e5", "u", "i4", 4000), 4000);

        List<UserRequest> out = requests();
        assertThat(out).hasSize(5);
        assertThat(out.get(0).history).containsExactly("i1");
        assertThat(out.get(2).userId).isEqualTo("v");
        assertThat(out.get(2).history).containsExactly("i3");
        assertThat(out.get(4).history).containsExactly("i2", "i3", "i4");
        assertThat(out.get(4).requestKey).isEqualTo("e5");
        assertThat(out.get(4).eventTime).isEqualTo(4000);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void duplicateEventIdsAndUnknownItemsAreDeadLettered() throws Exception {
        harness.processElement(event("e1", "u", "i1", 1000), 1000);
        harness.processElement(event("e1", "u", "i1", 1000), 1000);
        harness.processElement(event("e2", "u", "nope", 2000), 2000);

        assertThat(requests()).hasSize(1);
        List<DeadLetter> dl = deadLetters();
        assertThat(dl).extracting(DeadLetter::getErrorClass).containsExactly("DUPLICATE", "UNKNOWN_ITEM");
        assertThat(dl.get(1).getErrorMessage()).contains("nope");
        assertThat(dl.get(1).getSourceOffset()).isEqualTo(2000);
    }

    @Test
    void catalogBroadcastMakesNewItemsKnownAndDeletedItemsUnknown() throws Exception {
        harness.processBroadcastElement(CatalogItem.newBuilder().setItemId("new").setTitle("New Game").build(), 0);
        harness.processBroadcastElement(CatalogItem.newBuilder().setItemId("i2").setTitle("Gone").setDeleted(true).build(), 0);
        harness.processElement(event("e1", "u", "new", 1000), 1000);
        harness.processElement(event("e2", "u", "i2", 2000), 2000);

        assertThat(requests()).hasSize(1);
        assertThat(requests().get(0).history).containsExactly("new");
        assertThat(deadLetters()).extracting(DeadLetter::getErrorClass).containsExactly("UNKNOWN_ITEM");
    }

    @Test
    void requestEventsDoNotChangeTheHistory() throws Exception {
        harness.processElement(event("e1", "u", "i1", 1000), 1000);
        harness.processElement(event("e2", "u", null, 2000, EventType.REQUEST), 2000);
        assertThat(requests()).hasSize(2);
        assertThat(requests().get(1).history).containsExactly("i1");
    }

    @Test
    void stateExpiresByEventTimeAfterInactivityOnly() throws Exception {
        harness.processElement(event("e1", "u", "i1", 1000), 1000);
        harness.processElement(event("e2", "u", "i2", 1000 + TTL / 2), 1000 + TTL / 2);
        // The first timer fires at 1000 + TTL, but the user was active since: history must survive.
        harness.watermark((1000 + TTL + 1));
        harness.processElement(event("e3", "u", "i3", 1000 + TTL + 2), 1000 + TTL + 2);
        assertThat(requests().get(2).history).containsExactly("i1", "i2", "i3");

        // Silence for a full TTL: state is dropped and the next event starts a fresh history.
        harness.watermark((1000 + 2 * TTL + 10));
        harness.processElement(event("e4", "u", "i4", 1000 + 2 * TTL + 20), 1000 + 2 * TTL + 20);
        assertThat(requests().get(3).history).containsExactly("i4");
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void historySurvivesSnapshotAndRestore() throws Exception {
        harness.processElement(event("e1", "u", "i1", 1000), 1000);
        harness.processElement(event("e2", "u", "i2", 2000), 2000);
        var snapshot = harness.snapshot(1L, 3000L);
        harness.close();

        UserHistoryFunction fn = new UserHistoryFunction(Set.of("i1", "i2", "i3", "i4"), 3, 4, TTL);
        harness = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(fn, List.of(UserHistoryFunction.CATALOG_CHANGES)),
                e -> e.event.getUserId(), Types.STRING, 1, 1, 0);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(event("e3", "u", "i3", 3000), 3000);
        harness.processElement(event("e2", "u", "i2", 2000), 2000);
        assertThat(requests()).hasSize(1);
        assertThat(requests().get(0).history).containsExactly("i1", "i2", "i3");
        assertThat(deadLetters()).extracting(DeadLetter::getErrorClass).containsExactly("DUPLICATE");
    }
}
