package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes catalog records; malformed, incomplete or oversized ones become dead letters
 * ({@link DeadLetterReason#BAD_CATALOG_RECORD} with the reason).
 */
public class DecodeCatalog extends ProcessFunction<RawRecord, CatalogItem> {
    private final RecordDecoder<CatalogItem> decoder;
    private final int maxFieldLength;

    public DecodeCatalog(RecordDecoder<CatalogItem> decoder, int maxFieldLength) {
        this.decoder = decoder;
        this.maxFieldLength = maxFieldLength;
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<CatalogItem> out) {
        CatalogItem item;
        try {
            if (record.value == null || record.value.length == 0) throw new IllegalArgumentException("empty record value");
            item = decoder.decode(record.value);
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            ctx.output(DeadLetters.TAG, DeadLetters.of(record, DeadLetterReason.BAD_CATALOG_RECORD,
                    e.getClass().getSimpleName() + ": " + e.getMessage()));
            return;
        }
        String problem = null;
        if (item.getItemId() == null || item.getItemId().isBlank()) problem = "item_id is missing or blank";
        else if (item.getItemId().length() > maxFieldLength) problem = "item_id longer than " + maxFieldLength;
        else if (!item.getDeleted() && (item.getTitle() == null || item.getTitle().isBlank())) problem = "title is missing or blank";
        else if (item.getTitle() != null && item.getTitle().length() > 16 * maxFieldLength) problem = "title longer than " + 16 * maxFieldLength;
        else if (item.getText() != null && item.getText().length() > 128 * maxFieldLength) problem = "text longer than " + 128 * maxFieldLength;
        else if (item.getBrand() != null && item.getBrand().length() > 16 * maxFieldLength) problem = "brand longer than " + 16 * maxFieldLength;
        if (problem != null) {
            ctx.output(DeadLetters.TAG, DeadLetters.of(record, DeadLetterReason.BAD_CATALOG_RECORD, problem));
            return;
        }
        out.collect(item);
    }
}
