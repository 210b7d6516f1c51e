package dev.sidflow.stream;

import dev.sidflow.schema.Recommendation;
import org.apache.flink.api.common.functions.MapFunction;

/** A slow sink stand-in: holds every record for a fixed time, so backpressure builds up behind it. */
final class ThrottleRecords implements MapFunction<Recommendation, Recommendation> {
    private final long millisPerRecord;

    ThrottleRecords(long millisPerRecord) {
        this.millisPerRecord = millisPerRecord;
    }

    @Override
    public Recommendation map(Recommendation r) throws InterruptedException {
        Thread.sleep(millisPerRecord);
        return r;
    }
}
