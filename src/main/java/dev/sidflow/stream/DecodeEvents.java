package dev.sidflow.stream;

import dev.sidflow.schema.EventType;
import dev.sidflow.schema.InteractionEvent;
import dev.sidflow.serve.BadRequest;
import dev.sidflow.serve.Query;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * First stage: decode the bytes of each event and check what can be checked without state
 * (required fields, sizes, plausible event time). Everything that fails goes to the
 * dead-letter side output with its reason; nothing here can fail the job.
 */
public class DecodeEvents extends ProcessFunction<RawRecord, SourcedEvent> {
    /** Events dated further ahead of the wall clock than this are rejected as impossible. */
    private final long maxFutureSkewMillis;
    private final int maxFieldLength;
    private final RecordDecoder<InteractionEvent> decoder;
    private transient Counter deadLettered;
    private transient Counter accepted;

    public DecodeEvents(RecordDecoder<InteractionEvent> decoder, long maxFutureSkewMillis, int maxFieldLength) {
        this.decoder = decoder;
        this.maxFutureSkewMillis = maxFutureSkewMillis;
        this.maxFieldLength = maxFieldLength;
    }

    @Override
    public void open(OpenContext openContext) {
        deadLettered = getRuntimeContext().getMetricGroup().counter("deadLetteredAtDecode");
        accepted = getRuntimeContext().getMetricGroup().counter("decodedEvents");
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<SourcedEvent> out) {
        if (record.value == null || record.value.length == 0) {
            reject(ctx, record, DeadLetterReason.MALFORMED_BYTES, "empty record value");
            return;
        }
        InteractionEvent event;
        try {
            event = decoder.decode(record.value);
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            // Avro decoders can throw anything on hostile input, including errors for huge lengths.
            reject(ctx, record, DeadLetterReason.MALFORMED_BYTES,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        String problem = missingField(event);
        if (problem != null) {
            reject(ctx, record, DeadLetterReason.MISSING_FIELD, problem);
            return;
        }
        String oversized = oversizedField(event);
        if (oversized != null) {
            reject(ctx, record, DeadLetterReason.OVERSIZED, oversized);
            return;
        }
        if (event.getEventType() == EventType.REQUEST && Query.isQuery(event.getQuery(), event.getAttributes())) {
            try {
                Query.fromWire(event.getQuery(), event.getAttributes());
            } catch (BadRequest e) {
                reject(ctx, record, DeadLetterReason.valueOf(e.reason().name()), e.getMessage());
                return;
            }
        }
        long t = event.getEventTime().toEpochMilli();
        long now = System.currentTimeMillis();
        if (t < 0) {
            reject(ctx, record, DeadLetterReason.BAD_TIMESTAMP, "event_time " + t + " is before 1970");
            return;
        }
        if (t > now + maxFutureSkewMillis) {
            reject(ctx, record, DeadLetterReason.BAD_TIMESTAMP,
                    "event_time " + event.getEventTime() + " is more than " + maxFutureSkewMillis + " ms in the future");
            return;
        }
        accepted.inc();
        out.collect(new SourcedEvent(event, record, now));
    }

    private static String missingField(InteractionEvent e) {
        if (isBlank(e.getEventId())) return "event_id is missing or blank";
        if (isBlank(e.getUserId())) return "user_id is missing or blank";
        if (e.getEventTime() == null) return "event_time is missing";
        if (e.getEventType() != EventType.REQUEST && isBlank(e.getItemId())) {
            return "item_id is required for event_type " + e.getEventType();
        }
        return null;
    }

    private String oversizedField(InteractionEvent e) {
        if (e.getUserId().length() > maxFieldLength) return "user_id longer than " + maxFieldLength;
        if (e.getEventId().length() > maxFieldLength) return "event_id longer than " + maxFieldLength;
        if (e.getItemId() != null && e.getItemId().length() > maxFieldLength) return "item_id longer than " + maxFieldLength;
        if (e.getQuery() != null && e.getQuery().length() > 16 * maxFieldLength) return "query longer than " + 16 * maxFieldLength;
        return null;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private void reject(Context ctx, RawRecord record, DeadLetterReason reason, String message) {
        deadLettered.inc();
        ctx.output(DeadLetters.TAG, DeadLetters.of(record, reason, message));
    }
}
