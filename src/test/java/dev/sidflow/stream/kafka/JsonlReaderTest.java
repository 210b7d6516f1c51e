package dev.sidflow.stream.kafka;

import dev.sidflow.data.Item;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonlReaderTest {

    @Test
    void readsCanonicalEventsWithExtraFieldsAsAttributes(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("interactions.jsonl");
        Files.write(f, List.of(
                "{\"userId\":\"u1\",\"itemId\":\"i1\",\"timestamp\":1000,\"eventType\":\"RATE\",\"rating\":4.5}",
                "",
                "{\"userId\":\"u2\",\"itemId\":\"i2\",\"timestamp\":\"1970-01-01T00:00:02Z\"}"));
        List<SourceEvent> events = JsonlReader.readEvents(f);
        assertThat(events).hasSize(2);
        assertThat(events.get(0).interaction().eventType()).isEqualTo("RATE");
        assertThat(events.get(0).attributes()).isEqualTo(Map.of("rating", "4.5"));
        assertThat(events.get(1).interaction().timestamp()).isEqualTo(2000L);
        assertThat(events.get(1).interaction().eventType()).isEqualTo("VIEW");
    }

    @Test
    void badLinesNameFileAndLine(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("bad.jsonl");
        Files.write(f, List.of("{\"userId\":\"u1\",\"itemId\":\"i1\",\"timestamp\":1}", "{\"userId\":\"u1\",\"timestamp\":1}"));
        assertThatThrownBy(() -> JsonlReader.readEvents(f)).hasMessage(f + ":2: missing \"itemId\"");
        Files.write(f, List.of("{not json"));
        assertThatThrownBy(() -> JsonlReader.readEvents(f)).hasMessageStartingWith(f + ":1: not valid JSON");
        Files.write(f, List.of("{\"userId\":\"u1\",\"itemId\":\"i1\",\"timestamp\":\"yesterday\"}"));
        assertThatThrownBy(() -> JsonlReader.readEvents(f)).hasMessageContaining(":1: \"timestamp\" must be");
        assertThatThrownBy(() -> JsonlReader.readEvents(tmp.resolve("missing.jsonl"))).hasMessageContaining("file not found");
    }

    @Test
    void anEventLogDumpedFromTheTopicKeepsItsInteractionsAndCountsTheRest(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("events.jsonl");
        Files.write(f, List.of(
                "{\"event_id\":\"e1\",\"user_id\":\"u1\",\"item_id\":\"i1\",\"event_type\":\"PURCHASE\",\"event_time\":1000,"
                        + "\"query\":null,\"attributes\":{\"rating\":\"5\"}}",
                "{\"event_id\":\"r1\",\"user_id\":\"u1\",\"item_id\":null,\"event_type\":\"REQUEST\",\"event_time\":1001,"
                        + "\"query\":null,\"attributes\":{\"seed\":\"i1\"}}",
                "{\"event_id\":\"r2\",\"user_id\":\"u2\",\"event_type\":\"REQUEST\",\"event_time\":1002,\"query\":\"racing\"}",
                "{\"event_id\":\"e2\",\"user_id\":\"u2\",\"event_type\":\"VIEW\",\"event_time\":1003}",
                "{\"event_id\":\"e3\",\"user_id\":\"u2\",\"item_id\":\"i2\",\"event_type\":\"VIEW\",\"event_time\":1004}"));
        JsonlReader.InteractionLog log = JsonlReader.readInteractions(f);
        assertThat(log.events()).extracting(e -> e.interaction().itemId()).containsExactly("i1", "i2");
        assertThat(log.requests()).isEqualTo(2);
        assertThat(log.itemless()).isEqualTo(1);
        // an interaction line that is broken still fails with its line
        Files.write(f, List.of("{\"user_id\":\"u1\",\"item_id\":\"i1\"}"));
        assertThatThrownBy(() -> JsonlReader.readInteractions(f)).hasMessage(f + ":1: missing \"timestamp\"");
        // readEvents stays strict: an event without an item is an error there
        Files.write(f, List.of("{\"user_id\":\"u1\",\"event_type\":\"REQUEST\",\"event_time\":1}"));
        assertThatThrownBy(() -> JsonlReader.readEvents(f)).hasMessage(f + ":1: missing \"itemId\"");
    }

    @Test
    void readsItems(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("items.jsonl");
        Files.write(f, List.of(
                "{\"itemId\":\"i1\",\"title\":\"Halo\",\"brand\":\"Microsoft\",\"categories\":[\"Games\",\"Xbox\"],\"attributes\":{\"genre\":\"shooter\"},\"year\":2001}",
                "{\"itemId\":\"i2\",\"title\":\"Tetris\"}"));
        List<Item> items = JsonlReader.readItems(f);
        assertThat(items.get(0)).isEqualTo(new Item("i1", "Halo", null, "Microsoft", List.of("Games", "Xbox"),
                Map.of("genre", "shooter", "year", "2001")));
        assertThat(items.get(1)).isEqualTo(Item.of("i2", "Tetris"));
        Files.write(f, List.of("{\"itemId\":\"i1\"}"));
        assertThatThrownBy(() -> JsonlReader.readItems(f)).hasMessage(f + ":1: missing \"title\"");
    }
}
