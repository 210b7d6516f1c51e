package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.stream.kafka.EventMapping;
import dev.sidflow.stream.kafka.JsonlReader;

import java.time.Instant;

/**
 * Decodes one line of a canonical data set's {@code items.jsonl} into the catalog wire record,
 * the way {@code sidflow produce --what catalog} maps it; {@code updated_at} is the time the line is read.
 */
public final class CanonicalItemDecoder implements RecordDecoder<CatalogItem> {
    @Override
    public CatalogItem decode(byte[] bytes) {
        return EventMapping.toCatalogItem(JsonlReader.parseItem(bytes), Instant.ofEpochMilli(System.currentTimeMillis()));
    }
}
