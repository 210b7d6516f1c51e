package dev.sidflow.stream.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.EventType;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendationSource;
import dev.sidflow.schema.RecommendedItem;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordCodecTest {

    static InteractionEvent event() {
        return InteractionEvent.newBuilder()
                .setEventId("e-1").setUserId("u1").setItemId("i42").setEventType(EventType.PURCHASE)
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_123L)).setQuery(null)
                .setAttributes(Map.of("rating", "4.5", "platform", "PC")).build();
    }

    static CatalogItem catalogItem() {
        return CatalogItem.newBuilder()
                .setItemId("i42").setTitle("Zelda: Breath of the Wild – “Ünïcode”").setText(null).setBrand("Nintendo")
                .setCategories(List.of("Video Games", "Switch")).setAttributes(Map.of("genre", "adventure"))
                .setUpdatedAt(Instant.ofEpochMilli(1_600_000_000_000L)).setDeleted(false).build();
    }

    static Recommendation recommendation() {
        RecommendedItem exact = RecommendedItem.newBuilder().setRank(1).setItemId("i7")
                .setSid("<|sid_start|><|sid_3|><|sid_300|><|sid_600|><|sid_768|><|sid_end|>").setTitle("Mario Kart")
                .setMatchLevel(4).setSimilarCount(1).setScore(0.93).setSource(RecommendationSource.GENERATOR)
                .setReason(null).build();
        RecommendedItem prefix = RecommendedItem.newBuilder().setRank(2).setItemId(null)
                .setSid("<|sid_start|><|sid_3|><|sid_301|><|sid_700|><|sid_768|><|sid_end|>").setTitle("(similar to Kirby)")
                .setMatchLevel(2).setSimilarCount(12).setScore(0.41).setSource(RecommendationSource.HYBRID)
                .setReason("shares 2 levels").build();
        return Recommendation.newBuilder().setRequestKey("e-1").setUserId("u1").setItems(List.of(exact, prefix))
                .setBundleVersion("bundle-2024-01").setEventTime(Instant.ofEpochMilli(1_700_000_000_123L))
                .setProcessingLatencyMs(17).build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setRawKey(ByteBuffer.wrap("u1".getBytes(StandardCharsets.UTF_8)))
                .setRawValue(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xff, 'x'}))
                .setSourceTopic("sidflow.events").setSourcePartition(3).setSourceOffset(12345L)
                .setErrorClass("MALFORMED_BYTES").setErrorMessage("cannot decode")
                .setFailedAt(Instant.ofEpochMilli(1_700_000_001_000L)).build();
    }

    static SpecificRecord sample(RecordType type) {
        return switch (type) {
            case EVENT -> event();
            case CATALOG -> catalogItem();
            case RECOMMENDATION -> recommendation();
            case DEAD_LETTER -> deadLetter();
        };
    }

    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> RecordCodec<T> codec(RecordType type, WireFormat format) {
        return (RecordCodec<T>) type.codec(format);
    }

    @ParameterizedTest
    @EnumSource(RecordType.class)
    void avroRoundTripKeepsEveryField(RecordType type) {
        SpecificRecord original = sample(type);
        RecordCodec<SpecificRecord> codec = codec(type, WireFormat.AVRO);
        byte[] bytes = codec.encode(original);
        assertThat(codec.decode(bytes)).isEqualTo(original);
    }

    @ParameterizedTest
    @EnumSource(RecordType.class)
    void jsonRoundTripKeepsEveryField(RecordType type) {
        SpecificRecord original = sample(type);
        RecordCodec<SpecificRecord> codec = codec(type, WireFormat.JSON);
        byte[] bytes = codec.encode(original);
        assertThat(codec.decode(bytes)).isEqualTo(original);
    }

    @Test
    void jsonIsFriendlySnakeCaseWithUnwrappedUnions() throws Exception {
        byte[] bytes = RecordCodec.of(InteractionEvent.class, WireFormat.JSON).encode(event());
        JsonNode json = new ObjectMapper().readTree(bytes);
        assertThat(json.get("user_id").asText()).isEqualTo("u1");
        assertThat(json.get("item_id").isTextual()).isTrue();   // not {"string": "i42"}
        assertThat(json.get("query").isNull()).isTrue();
        assertThat(json.get("event_type").asText()).isEqualTo("PURCHASE");
        assertThat(json.get("event_time").asLong()).isEqualTo(1_700_000_000_123L);
        assertThat(json.get("attributes").get("rating").asText()).isEqualTo("4.5");
    }

    @Test
    void jsonReaderFillsDefaultsAcceptsIsoTimeAndIgnoresUnknownFields() {
        String text = """
                {"event_id":"e9","user_id":"u2","event_type":"CLICK","event_time":"2024-01-02T03:04:05Z","extra":1}
                """;
        InteractionEvent e = RecordCodec.of(InteractionEvent.class, WireFormat.JSON)
                .decode(text.getBytes(StandardCharsets.UTF_8));
        assertThat(e.getItemId()).isNull();
        assertThat(e.getAttributes()).isEmpty();
        assertThat(e.getEventType()).isEqualTo(EventType.CLICK);
        assertThat(e.getEventTime()).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
    }

    @Test
    void avroIsSmallerThanJson() {
        Recommendation rec = recommendation();
        assertThat(RecordCodec.of(Recommendation.class, WireFormat.AVRO).encode(rec).length)
                .isLessThan(RecordCodec.of(Recommendation.class, WireFormat.JSON).encode(rec).length);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void garbageThrowsRecordDecodeException(WireFormat format) {
        RecordCodec<InteractionEvent> codec = RecordCodec.of(InteractionEvent.class, format);
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            byte[] garbage = new byte[1 + random.nextInt(64)];
            random.nextBytes(garbage);
            assertThatThrownBy(() -> codec.decode(garbage))
                    .as("random bytes #%d %s", i, Arrays.toString(garbage))
                    .isInstanceOf(RecordDecodeException.class)
                    .hasMessageStartingWith("cannot decode " + format.name().toLowerCase() + " InteractionEvent: ");
        }
        assertThatThrownBy(() -> codec.decode(new byte[0])).isInstanceOf(RecordDecodeException.class);
        assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(RecordDecodeException.class);
    }

    @Test
    void truncatedOrPaddedAvroIsRejected() {
        RecordCodec<InteractionEvent> codec = RecordCodec.of(InteractionEvent.class, WireFormat.AVRO);
        byte[] good = codec.encode(event());
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(RecordDecodeException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(good, good.length + 2)))
                .isInstanceOf(RecordDecodeException.class).hasMessageContaining("trailing bytes");
    }

    @Test
    void avroBytesFedToTheJsonDecoderAndViceVersaAreRejected() {
        byte[] avro = RecordCodec.of(InteractionEvent.class, WireFormat.AVRO).encode(event());
        byte[] json = RecordCodec.of(InteractionEvent.class, WireFormat.JSON).encode(event());
        assertThatThrownBy(() -> RecordCodec.of(InteractionEvent.class, WireFormat.JSON).decode(avro))
                .isInstanceOf(RecordDecodeException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> RecordCodec.of(InteractionEvent.class, WireFormat.AVRO).decode(json))
                .isInstanceOf(RecordDecodeException.class);
    }

    @Test
    void jsonSchemaViolationsNameTheField() {
        RecordCodec<InteractionEvent> codec = RecordCodec.of(InteractionEvent.class, WireFormat.JSON);
        assertThatThrownBy(() -> codec.decode("{\"event_id\":\"e\",\"event_type\":\"VIEW\",\"event_time\":1}".getBytes()))
                .isInstanceOf(RecordDecodeException.class).hasMessageContaining("missing required field $.user_id");
        assertThatThrownBy(() -> codec.decode(
                "{\"event_id\":\"e\",\"user_id\":\"u\",\"event_type\":\"BUY\",\"event_time\":1}".getBytes()))
                .isInstanceOf(RecordDecodeException.class).hasMessageContaining("$.event_type").hasMessageContaining("PURCHASE");
        assertThatThrownBy(() -> codec.decode(
                "{\"event_id\":\"e\",\"user_id\":7,\"event_type\":\"VIEW\",\"event_time\":1}".getBytes()))
                .isInstanceOf(RecordDecodeException.class).hasMessageContaining("$.user_id: expected a string");
        assertThatThrownBy(() -> codec.decode("[1,2]".getBytes()))
                .isInstanceOf(RecordDecodeException.class).hasMessageContaining("expected an object");
    }

    @Test
    void codecsSurviveJavaSerialization() throws Exception {
        RecordCodec<Recommendation> codec = RecordCodec.of(Recommendation.class, WireFormat.AVRO);
        codec.encode(recommendation()); // initialise the lazy machinery before serializing
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) { out.writeObject(codec); }
        @SuppressWarnings("unchecked")
        RecordCodec<Recommendation> copy = (RecordCodec<Recommendation>) new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertThat(copy.decode(codec.encode(recommendation()))).isEqualTo(recommendation());
    }

    @Test
    void recordTypeIsGuessedFromTopicNames() {
        assertThat(RecordType.fromTopicName("sidflow.events")).contains(RecordType.EVENT);
        assertThat(RecordType.fromTopicName("sidflow.catalog")).contains(RecordType.CATALOG);
        assertThat(RecordType.fromTopicName("sidflow.recommendations")).contains(RecordType.RECOMMENDATION);
        assertThat(RecordType.fromTopicName("sidflow.dead-letters")).contains(RecordType.DEAD_LETTER);
        assertThat(RecordType.fromTopicName("events.dlq")).contains(RecordType.DEAD_LETTER);
        assertThat(RecordType.fromTopicName("misc")).isEmpty();
    }
}
