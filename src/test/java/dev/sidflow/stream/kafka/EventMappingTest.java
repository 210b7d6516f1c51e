package dev.sidflow.stream.kafka;

import dev.sidflow.data.Interaction;
import dev.sidflow.schema.EventType;
import dev.sidflow.schema.InteractionEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventMappingTest {

    static SourceEvent ev(String user, String item, long ts, String type) {
        return new SourceEvent(new Interaction(user, item, ts, type), Map.of());
    }

    @Test
    void eventIdIsDeterministicAndDistinguishesEachComponent() {
        String id = EventMapping.eventId("u1", "i1", 5, "VIEW");
        assertThat(EventMapping.eventId("u1", "i1", 5, "VIEW")).isEqualTo(id);
        assertThat(List.of(EventMapping.eventId("u2", "i1", 5, "VIEW"), EventMapping.eventId("u1", "i2", 5, "VIEW"),
                EventMapping.eventId("u1", "i1", 6, "VIEW"), EventMapping.eventId("u1", "i1", 5, "CLICK")))
                .doesNotContain(id).doesNotHaveDuplicates();
        // the separator keeps ("u1","1i") apart from ("u11","i")
        assertThat(EventMapping.eventId("u1", "1i", 5, "VIEW")).isNotEqualTo(EventMapping.eventId("u11", "i", 5, "VIEW"));
    }

    @Test
    void mapsCanonicalInteractionToEvent() {
        InteractionEvent e = EventMapping.toEvent(new SourceEvent(new Interaction("u1", "i9", 1234, "purchase"),
                Map.of("rating", "5")));
        assertThat(e.getEventType()).isEqualTo(EventType.PURCHASE);
        assertThat(e.getEventTime()).isEqualTo(Instant.ofEpochMilli(1234));
        assertThat(e.getEventId()).isEqualTo(EventMapping.eventId("u1", "i9", 1234, "PURCHASE"));
        assertThat(e.getAttributes()).containsEntry("rating", "5");
        assertThatThrownBy(() -> EventMapping.eventType("like")).hasMessageContaining("unknown event type 'like'");
    }

    @Test
    void eventTimeOrderIsStableForEqualTimestamps() {
        List<SourceEvent> sorted = EventMapping.inEventTimeOrder(List.of(
                ev("u1", "a", 20, "VIEW"), ev("u1", "b", 10, "VIEW"), ev("u1", "c", 10, "VIEW"), ev("u2", "d", 5, "VIEW")));
        assertThat(sorted).extracting(s -> s.interaction().itemId()).containsExactly("d", "b", "c", "a");
    }
}
