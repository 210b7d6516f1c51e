package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by item id: remembers the {@link CatalogFingerprint} of the last version published and
 * forwards an item only when it is new or says something different (an update). Re-sends of an
 * unchanged item are dropped, so consumers of the catalog topic re-embed and re-title only what changed.
 */
public class ForwardChangedItems extends KeyedProcessFunction<String, CatalogItem, CatalogItem> {
    public static final String FORWARDED = "catalog.forwarded";
    public static final String UNCHANGED = "catalog.unchanged";

    private transient ValueState<Long> published;
    private transient LongCounter forwarded;
    private transient LongCounter unchanged;

    @Override
    public void open(OpenContext openContext) {
        published = getRuntimeContext().getState(new ValueStateDescriptor<>("published-fingerprint", Types.LONG));
        forwarded = getRuntimeContext().getLongCounter(FORWARDED);
        unchanged = getRuntimeContext().getLongCounter(UNCHANGED);
        getRuntimeContext().getMetricGroup().gauge("catalogForwarded", forwarded::getLocalValue);
        getRuntimeContext().getMetricGroup().gauge("catalogUnchanged", unchanged::getLocalValue);
    }

    @Override
    public void processElement(CatalogItem item, Context ctx, Collector<CatalogItem> out) throws Exception {
        long fingerprint = CatalogFingerprint.of(item);
        Long last = published.value();
        if (last != null && last == fingerprint) {
            unchanged.add(1);
            return;
        }
        published.update(fingerprint);
        forwarded.add(1);
        out.collect(item);
    }
}
