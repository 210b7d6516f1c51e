package dev.sidflow.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonlImporterTest {
    @TempDir
    Path dir;

    private void writeItems() throws Exception {
        TestFiles.write(dir, "items.jsonl",
                "{\"itemId\": \"a\", \"title\": \"Halo &amp; Friends\", \"categories\": [\"Games\", \"Shooter\"], \"attributes\": {\"platform\": \"Xbox\"}}",
                "",
                "{\"item_id\": \"b\", \"title\": \"Pad\", \"description\": \"A pad.\", \"brand\": \"Acme\", \"category\": \"Accessories\", \"extra\": {\"x\": 1}}");
    }

    @Test
    void acceptsCanonicalAndSnakeCaseFieldsAndAllTimeForms() throws Exception {
        writeItems();
        TestFiles.write(dir, "events.jsonl",
                "{\"userId\": \"u1\", \"itemId\": \"a\", \"timestamp\": 1000, \"eventType\": \"purchase\"}",
                "{\"user_id\": \"u1\", \"item_id\": \"b\", \"event_time\": \"2020-01-01T00:00:00Z\"}",
                "{\"user_id\": \"u2\", \"item_id\": \"b\", \"event_time\": \"2020-01-01T01:00:00+01:00\", \"event_type\": \"CLICK\"}",
                "{\"user_id\": \"u2\", \"item_id\": \"a\", \"event_time\": \"2020-01-02T00:00:00\"}",
                "{\"user_id\": \"u3\", \"item_id\": \"a\", \"timestamp\": \"2000\"}");
        Dataset d = new JsonlImporter().load(dir);
        assertThat(d.item("a").title()).isEqualTo("Halo & Friends");
        assertThat(d.item("a").attributes()).containsEntry("platform", "Xbox");
        assertThat(d.item("b").text()).isEqualTo("A pad.");
        assertThat(d.item("b").categories()).containsExactly("Accessories");
        long jan1 = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
        assertThat(d.interactions()).extracting(Interaction::timestamp)
                .containsExactly(1000L, 2000L, jan1, jan1, jan1 + 86_400_000L);
        assertThat(d.interactions()).extracting(Interaction::eventType)
                .containsExactly("PURCHASE", "VIEW", "VIEW", "CLICK", "VIEW");
        assertThat(d.sequences().get("u2")).containsExactly("b", "a");
    }

    @Test
    void badRowsNameFileAndLine() throws Exception {
        writeItems();
        TestFiles.write(dir, "events.jsonl",
                "{\"user_id\": \"u1\", \"item_id\": \"a\", \"timestamp\": 1}",
                "{\"user_id\": \"u1\", \"item_id\": \"a\", \"timestamp\": \"last tuesday\"}");
        assertThatThrownBy(() -> new JsonlImporter().load(dir))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("events.jsonl:2").hasMessageContaining("last tuesday");

        TestFiles.write(dir, "events.jsonl", "{\"user_id\": \"u1\", \"item_id\": \"zz\", \"timestamp\": 1}");
        assertThatThrownBy(() -> new JsonlImporter().load(dir))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("events.jsonl:1").hasMessageContaining("\"zz\"");

        TestFiles.write(dir, "events.jsonl", "{\"user_id\": \"u1\", \"item_id\": \"a\", \"timestamp\": 1, \"event_type\": \"LIKE\"}");
        assertThatThrownBy(() -> new JsonlImporter().load(dir))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("events.jsonl:1").hasMessageContaining("LIKE");

        TestFiles.write(dir, "items.jsonl", "{\"itemId\": \"a\", \"title\": \"A\"}", "{\"itemId\": \"b\", \"title\": \"B\"");
        assertThatThrownBy(() -> new JsonlImporter().load(dir))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("items.jsonl:2").hasMessageContaining("invalid JSON");
    }
}
