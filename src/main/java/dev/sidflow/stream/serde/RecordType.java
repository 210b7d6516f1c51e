package dev.sidflow.stream.serde;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.DeadLetter;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.schema.Recommendation;
import org.apache.avro.specific.SpecificRecord;

import java.util.Locale;
import java.util.Optional;

/** The four record types sidflow puts on Kafka, each with its Avro class. */
public enum RecordType {
    EVENT(InteractionEvent.class),
    CATALOG(CatalogItem.class),
    RECOMMENDATION(Recommendation.class),
    DEAD_LETTER(DeadLetter.class);

    private final Class<? extends SpecificRecord> recordClass;

    RecordType(Class<? extends SpecificRecord> recordClass) {
        this.recordClass = recordClass;
    }

    public Class<? extends SpecificRecord> recordClass() { return recordClass; }

    public RecordCodec<? extends SpecificRecord> codec(WireFormat format) {
        return RecordCodec.of(recordClass, format);
    }

    /**
     * Guesses the type from a topic name such as {@code sidflow.dead-letters} or {@code my.recommendations.v2}.
     * Dead letters are checked first, because a dead-letter topic may also name the topic it shadows.
     */
    public static Optional<RecordType> fromTopicName(String topic) {
        String t = topic.toLowerCase(Locale.ROOT);
        if (t.contains("dead") || t.contains("dlq")) return Optional.of(DEAD_LETTER);
        if (t.contains("recommend") || t.contains("recs")) return Optional.of(RECOMMENDATION);
        if (t.contains("catalog") || t.contains("item")) return Optional.of(CATALOG);
        if (t.contains("event") || t.contains("interaction")) return Optional.of(EVENT);
        return Optional.empty();
    }
}
