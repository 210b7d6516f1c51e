package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.EventType;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoding stages on hostile bytes: whatever arrives, {@link DecodeEvents} and
 * {@link DecodeCatalog} never throw and turn each record into exactly one decoded value or exactly
 * one dead letter that carries the input bytes whole and a reason code.
 */
class DecodePropertiesTest {
    private static final RecordCodec<InteractionEvent> AVRO = RecordCodec.of(InteractionEvent.class, WireFormat.AVRO);
    private static final RecordCodec<InteractionEvent> JSON = RecordCodec.of(InteractionEvent.class, WireFormat.JSON);
    private static final Set<String> EVENT_REASONS = Set.of("MALFORMED_BYTES", "MISSING_FIELD", "OVERSIZED", "BAD_TIMESTAMP");

    @Property(tries = 200)
    void arbitraryBytesGiveAnEventOrADeadLetter(@ForAll @Size(max = 300) byte[] bytes) throws Exception {
        checkEvent(bytes);
    }

    @Property(tries = 200)
    void damagedAvroEventsGiveAnEventOrADeadLetter(@ForAll("damagedAvro") byte[] bytes) throws Exception {
        checkEvent(bytes);
    }

    @Property(tries = 150)
    void damagedJsonEventsGiveAnEventOrADeadLetter(@ForAll("damagedJson") byte[] bytes) throws Exception {
        checkEvent(bytes);
    }

    @Property(tries = 150)
    void arbitraryCatalogBytesGiveAnItemOrADeadLetter(@ForAll("catalogBytes") byte[] bytes) throws Exception {
        var h = ProcessFunctionTestHarnesses.forProcessFunction(new DecodeCatalog(new SniffingDecoder<>(CatalogItem.class), 512));
        h.processElement(new RawRecord(null, bytes, "cat", 0, 7, 0), 0);
        List<CatalogItem> items = h.extractOutputValues();
        List<DeadLetter> dead = deadLetters(h);
        assertThat(items.size() + dead.size()).isEqualTo(1);
        if (dead.isEmpty()) {
            CatalogItem item = items.get(0);
            assertThat(item.getItemId()).isNotBlank().hasSizeLessThanOrEqualTo(512);
            if (!item.getDeleted()) assertThat(item.getTitle()).isNotBlank();
        } else {
            assertThat(dead.get(0).getErrorClass()).isEqualTo("BAD_CATALOG_RECORD");
            assertThat(bytesOf(dead.get(0).getRawValue())).isEqualTo(bytes);
        }
        h.close();
    }

    /** Exactly one outcome; a decoded event passes every stateless check; a dead letter keeps the bytes. */
    private static void checkEvent(byte[] bytes) throws Exception {
        long before = System.currentTimeMillis();
        var h = ProcessFunctionTestHarnesses.forProcessFunction(
                new DecodeEvents(new SniffingDecoder<>(InteractionEvent.class), Duration.ofDays(1).toMillis(), 512));
        h.processElement(new RawRecord("k".getBytes(StandardCharsets.UTF_8), bytes, "ev", 1, 42, 0), 0);
        List<SourcedEvent> events = h.extractOutputValues();
        List<DeadLetter> dead = deadLetters(h);
        assertThat(events.size() + dead.size()).as("outcomes").isEqualTo(1);
        if (dead.isEmpty()) {
            InteractionEvent e = events.get(0).event;
            assertThat(e.getEventId()).isNotBlank().hasSizeLessThanOrEqualTo(512);
            assertThat(e.getUserId()).isNotBlank().hasSizeLessThanOrEqualTo(512);
            if (e.getEventType() != EventType.REQUEST) assertThat(e.getItemId()).isNotBlank();
            assertThat(e.getEventTime().toEpochMilli()).isBetween(0L, before + Duration.ofDays(1).toMillis() + 60_000);
        } else {
            DeadLetter d = dead.get(0);
            assertThat(d.getErrorClass()).isIn(EVENT_REASONS);
            assertThat(bytesOf(d.getRawValue())).isEqualTo(bytes);
            assertThat(d.getSourceTopic()).isEqualTo("ev");
            assertThat(d.getSourceOffset()).isEqualTo(42);
            assertThat(d.getErrorMessage()).isNotBlank().hasSizeLessThanOrEqualTo(2_003);
        }
        h.close();
    }

    private static List<DeadLetter> deadLetters(OneInputStreamOperatorTestHarness<RawRecord, ?> h) {
        ConcurrentLinkedQueue<StreamRecord<DeadLetter>> side = h.getSideOutput(DeadLetters.TAG);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    private static byte[] bytesOf(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    @Provide
    Arbitrary<InteractionEvent> events() {
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20),
                Arbitraries.strings().ofMinLength(500).ofMaxLength(700), Arbitraries.just(""), Arbitraries.just("  "));
        Arbitrary<Long> time = Arbitraries.oneOf(Arbitraries.longs().between(-10_000_000_000L, 0),
                Arbitraries.longs().between(0, System.currentTimeMillis() + Duration.ofDays(800).toMillis()),
                Arbitraries.of(Long.MIN_VALUE / 4, Long.MAX_VALUE / 4));
        return Combinators.combine(text, text, text.injectNull(0.2), Arbitraries.of(EventType.class), time)
                .as((id, user, item, type, t) -> InteractionEvent.newBuilder().setEventId(id).setUserId(user)
                        .setItemId(item).setEventType(type).setEventTime(Instant.ofEpochMilli(t)).build());
    }

    /** Valid-looking Avro events, then truncated, extended or with a few bytes overwritten. */
    @Provide
    Arbitrary<byte[]> damagedAvro() {
        return Combinators.combine(events(), Arbitraries.integers().between(0, 3), Arbitraries.longs())
                .as((e, how, seed) -> damage(AVRO.encode(e), how, seed));
    }

    @Provide
    Arbitrary<byte[]> damagedJson() {
        return Combinators.combine(events(), Arbitraries.integers().between(0, 3), Arbitraries.longs())
                .as((e, how, seed) -> damage(JSON.encode(e), how, seed));
    }

    @Provide
    Arbitrary<byte[]> catalogBytes() {
        RecordCodec<CatalogItem> avro = RecordCodec.of(CatalogItem.class, WireFormat.AVRO);
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20), Arbitraries.just(""),
                Arbitraries.strings().ofMinLength(9000).ofMaxLength(9000));
        Arbitrary<byte[]> items = Combinators.combine(text, text, Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 3), Arbitraries.longs())
                .as((id, title, deleted, how, seed) -> damage(avro.encode(CatalogItem.newBuilder().setItemId(id)
                        .setTitle(title).setDeleted(deleted).setUpdatedAt(Instant.ofEpochMilli(1000)).build()), how, seed));
        return Arbitraries.oneOf(items, Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
    }

    /** 0: intact, 1: truncated, 2: bytes overwritten, 3: garbage appended. */
    static byte[] damage(byte[] b, int how, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        return switch (how) {
            case 1 -> Arrays.copyOf(b, rnd.nextInt(b.length));
            case 2 -> {
                byte[] c = b.clone();
                for (int i = 0; i < 1 + rnd.nextInt(3); i++) c[rnd.nextInt(c.length)] = (byte) rnd.nextInt();
                yield c;
            }
            case 3 -> {
                byte[] c = Arrays.copyOf(b, b.length + 1 + rnd.nextInt(8));
                for (int i = b.length; i < c.length; i++) c[i] = (byte) rnd.nextInt();
                yield c;
            }
            default -> b;
        };
    }
}
