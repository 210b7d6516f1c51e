package dev.sidflow.stream;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks for the catalog stream. Catalog changes apply when they arrive, not at an event
 * time, but the catalog is a second input of the history and inference operators, whose event
 * time is the minimum over their inputs: without watermarks it would stall every event-time timer.
 * So the catalog stream declares it will never hold event time back.
 */
public final class NeverHoldBackWatermarks {
    private NeverHoldBackWatermarks() {}

    public static <T> WatermarkStrategy<T> strategy() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<T>() {
            private boolean emitted;

            @Override
            public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
                emitOnce(output);
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                emitOnce(output);
            }

            private void emitOnce(WatermarkOutput output) {
                if (!emitted) {
                    output.emitWatermark(new Watermark(Long.MAX_VALUE));
                    emitted = true;
                }
            }
        });
    }
}
