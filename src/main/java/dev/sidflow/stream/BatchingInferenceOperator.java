package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.serve.BadRequest;
import dev.sidflow.serve.RecommendRequest;
import dev.sidflow.serve.RecommendationService;
import dev.sidflow.serve.RecommendationServiceFactory;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Micro-batching inference: buffers requests until {@code maxBatchSize} are waiting or the
 * oldest has waited {@code maxDelayMillis}, then calls the recommender once for the whole batch.
 * Requests with a query (item-to-item, text, attribute-steered) are checked against the live
 * catalog first; those it cannot answer go to the dead-letter side output ({@link DeadLetters#TAG}).
 * Input 2 is the broadcast catalog: changes are applied to this slot's service (cold start) and
 * kept in union operator state so a restore re-applies them.
 *
 * <p>Exactly-once without buffering state: the buffer is flushed before every checkpoint barrier
 * ({@link #prepareSnapshotPreBarrier}), before every watermark (so nothing emitted becomes late)
 * and at end of input.
 *
 * <p>Deterministic mode (replay): batch boundaries must not depend on timing, because a model's
 * floating-point results vary slightly with batch composition. Batches are then cut only every
 * {@code maxBatchSize} requests and at end of input; the buffer is kept in operator state across
 * checkpoints instead of being flushed, and the watermark is held back behind the oldest
 * buffered request.
 */
public class BatchingInferenceOperator extends AbstractStreamOperator<Recommendation>
        implements TwoInputStreamOperator<UserRequest, CatalogItem, Recommendation> {

    /** Job accumulator: histogram of processing latency in ms (event accepted -> recommendation emitted). */
    public static final String LATENCY_ACCUMULATOR = "processingLatencyMs";
    /** Job accumulators of the LLM backend's outcomes (also exposed as gauges while running). */
    public static final String LLM_SERVED = "llm.served", LLM_FALLBACKS = "llm.fallbacks", LLM_INVALID_SIDS = "llm.invalidSids";
    /** Job accumulators: model calls made and requests they served (mean batch size = requests / batches). */
    public static final String BATCHES_ACCUMULATOR = "inferenceBatches";
    public static final String BATCHED_REQUESTS_ACCUMULATOR = "inferenceRequests";
    /** Job accumulator: microseconds spent in model calls (with the batch count: mean call time; over wall time: busy share). */
    public static final String INFERENCE_MICROS_ACCUMULATOR = "inferenceMicros";

    private static final ListStateDescriptor<CatalogItem> CATALOG_STATE =
            new ListStateDescriptor<>("catalog-changes", new AvroTypeInfo<>(CatalogItem.class));

    private final RecommendationServiceFactory serviceFactory;
    private final int maxBatchSize;
    private final long maxDelayMillis;
    private final boolean deterministicOutput;
    /** Requests come through the LLM stage: lead with their proposals, fall back to the built-in model. */
    private final boolean llmProposals;

    private transient RecommendationService service;
    private transient List<UserRequest> buffer;
    private transient long batchSeq;
    private transient Map<String, CatalogItem> catalogChanges;
    private transient ListState<CatalogItem> catalogState;
    private transient ListState<UserRequest> bufferState;
    private transient long inputWatermark;
    private transient long emittedWatermark;
    private transient Histogram batchSizes;
    private transient Histogram inferenceMillis;
    private transient Histogram processingLatencyMillis;
    private transient Counter recommendations;
    private transient Counter catalogUpdates;
    private transient Counter badRequests;
    private transient org.apache.flink.api.common.accumulators.Histogram latencyAccumulator;
    private transient org.apache.flink.api.common.accumulators.LongCounter[] llmTotals;
    private transient org.apache.flink.api.common.accumulators.LongCounter batchCount;
    private transient org.apache.flink.api.common.accumulators.LongCounter batchedRequests;
    private transient org.apache.flink.api.common.accumulators.LongCounter inferenceMicros;

    public BatchingInferenceOperator(RecommendationServiceFactory serviceFactory, int maxBatchSize, long maxDelayMillis,
                                     boolean deterministicOutput) {
        this(serviceFactory, maxBatchSize, maxDelayMillis, deterministicOutput, false);
    }

    public BatchingInferenceOperator(RecommendationServiceFactory serviceFactory, int maxBatchSize, long maxDelayMillis,
                                     boolean deterministicOutput, boolean llmProposals) {
        this.deterministicOutput = deterministicOutput;
        this.llmProposals = llmProposals;
        if (maxBatchSize < 1) throw new IllegalArgumentException("maxBatchSize must be >= 1");
        this.serviceFactory = serviceFactory;
        this.maxBatchSize = maxBatchSize;
        this.maxDelayMillis = maxDelayMillis;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        catalogState = context.getOperatorStateStore().getUnionListState(CATALOG_STATE);
        bufferState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("pending-requests", org.apache.flink.api.common.typeinfo.TypeInformation.of(UserRequest.class)));
        buffer = new ArrayList<>(maxBatchSize);
        for (UserRequest r : bufferState.get()) buffer.add(r);
        inputWatermark = Long.MIN_VALUE;
        emittedWatermark = Long.MIN_VALUE;
        catalogChanges = new LinkedHashMap<>();
        // Union state hands every instance all instances' copies: keep the newest per item.
        for (CatalogItem item : catalogState.get()) {
            CatalogItem prev = catalogChanges.get(item.getItemId());
            if (prev == null || !prev.getUpdatedAt().isAfter(item.getUpdatedAt())) {
                catalogChanges.put(item.getItemId(), item);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        service = serviceFactory.open();
        catalogChanges.values().forEach(service::onCatalogItem);
        batchSizes = getMetricGroup().histogram("batchSize", new DescriptiveStatisticsHistogram(10_000));
        inferenceMillis = getMetricGroup().histogram("inferenceMillis", new DescriptiveStatisticsHistogram(10_000));
        processingLatencyMillis = getMetricGroup().histogram("processingLatencyMillis", new DescriptiveStatisticsHistogram(10_000));
        recommendations = getMetricGroup().counter("recommendations");
        catalogUpdates = getMetricGroup().counter("catalogUpdates");
        badRequests = getMetricGroup().counter("deadLetteredBadRequest");
        // invalid SIDs (not exact catalog matches) must stay 0; the levels show how prefix fallbacks are spread
        getMetricGroup().gauge("invalidSids", () -> {
            long[] c = service.matchLevelCounts();
            return c[0] + c[1] + c[2] + c[3];
        });
        for (int level = 0; level <= 4; level++) {
            int l = level;
            getMetricGroup().gauge("matchLevel" + level, () -> service.matchLevelCounts()[l]);
        }
        if (llmProposals) {
            getMetricGroup().gauge("llmServed", () -> service.llmOutcomes().served());
            getMetricGroup().gauge("llmFallbacks", () -> service.llmOutcomes().fallbacks());
            getMetricGroup().gauge("llmInvalidSids", () -> service.llmOutcomes().invalidSids());
            llmTotals = new org.apache.flink.api.common.accumulators.LongCounter[] {
                    getRuntimeContext().getLongCounter(LLM_SERVED), getRuntimeContext().getLongCounter(LLM_FALLBACKS),
                    getRuntimeContext().getLongCounter(LLM_INVALID_SIDS)};
        }
        latencyAccumulator = new org.apache.flink.api.common.accumulators.Histogram();
        getRuntimeContext().addAccumulator(LATENCY_ACCUMULATOR, latencyAccumulator);
        batchCount = new org.apache.flink.api.common.accumulators.LongCounter();
        batchedRequests = new org.apache.flink.api.common.accumulators.LongCounter();
        getRuntimeContext().addAccumulator(BATCHES_ACCUMULATOR, batchCount);
        getRuntimeContext().addAccumulator(BATCHED_REQUESTS_ACCUMULATOR, batchedRequests);
        inferenceMicros = new org.apache.flink.api.common.accumulators.LongCounter();
        getRuntimeContext().addAccumulator(INFERENCE_MICROS_ACCUMULATOR, inferenceMicros);
    }

    @Override
    public void processElement1(StreamRecord<UserRequest> element) throws Exception {
        UserRequest request = element.getValue();
        if (request.query != null) {
            // checked against this slot's live catalog before batching: a bad one is dead-lettered, not answered
            try {
                service.validate(request.toServeRequest());
            } catch (BadRequest bad) {
                badRequests.inc();
                output.collect(DeadLetters.TAG, new StreamRecord<>(DeadLetters.of(null, request.raw, request.sourceTopic,
                        request.sourcePartition, request.sourceOffset, DeadLetterReason.valueOf(bad.reason().name()),
                        bad.getMessage()), element.getTimestamp()));
                return;
            }
        }
        buffer.add(request);
        if (deterministicOutput) {
            if (buffer.size() >= maxBatchSize) flush();
            return;
        }
        if (buffer.size() == 1 && maxDelayMillis > 0) {
            long seq = batchSeq;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + maxDelayMillis, ts -> {
                if (seq == batchSeq) flush();
            });
        }
        if (buffer.size() >= maxBatchSize || maxDelayMillis <= 0) flush();
    }

    @Override
    public void processElement2(StreamRecord<CatalogItem> element) {
        CatalogItem item = element.getValue();
        catalogChanges.put(item.getItemId(), item);
        service.onCatalogItem(item);
        catalogUpdates.inc();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (!deterministicOutput) {
            flush();
            super.processWatermark(mark);
            return;
        }
        inputWatermark = mark.getTimestamp();
        advanceWatermark();
    }

    /** Deterministic mode: forwards the input watermark, held back behind buffered requests. */
    private void advanceWatermark() throws Exception {
        long target = inputWatermark;
        for (UserRequest r : buffer) target = Math.min(target, r.eventTime - 1);
        if (target > emittedWatermark) {
            emittedWatermark = target;
            super.processWatermark(new Watermark(target));
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        if (!deterministicOutput) flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        catalogState.update(new ArrayList<>(catalogChanges.values()));
        bufferState.update(deterministicOutput ? new ArrayList<>(buffer) : List.of());
    }

    @Override
    public void finish() throws Exception {
        flush();
        if (deterministicOutput && inputWatermark > emittedWatermark) {
            emittedWatermark = inputWatermark;
            super.processWatermark(new Watermark(inputWatermark));
        }
        super.finish();
    }

    @Override
    public void close() throws Exception {
        if (llmProposals && service != null) {
            dev.sidflow.serve.llm.LlmOutcomes o = service.llmOutcomes();
            llmTotals[0].add(o.served());
            llmTotals[1].add(o.fallbacks());
            llmTotals[2].add(o.invalidSids());
        }
        try {
            if (service != null) service.close();
        } finally {
            super.close();
        }
    }

    private void flush() {
        if (buffer.isEmpty()) return;
        batchSeq++;
        List<UserRequest> batch = buffer;
        buffer = new ArrayList<>(maxBatchSize);
        List<RecommendRequest> requests = new ArrayList<>(batch.size());
        for (UserRequest r : batch) requests.add(r.toServeRequest());
        long start = System.nanoTime();
        List<Recommendation> out;
        if (llmProposals) {
            List<dev.sidflow.serve.llm.LlmProposal> proposals = new ArrayList<>(batch.size());
            for (UserRequest r : batch) proposals.add(r.proposal());
            out = service.recommend(requests, proposals);
        } else {
            out = service.recommend(requests);
        }
        long end = System.currentTimeMillis();
        long micros = (System.nanoTime() - start) / 1_000;
        inferenceMillis.update(micros / 1_000);
        inferenceMicros.add(micros);
        batchSizes.update(batch.size());
        batchCount.add(1);
        batchedRequests.add(batch.size());
        if (out.size() != batch.size()) {
            throw new IllegalStateException("service returned " + out.size() + " recommendations for " + batch.size() + " requests");
        }
        for (int i = 0; i < out.size(); i++) {
            Recommendation rec = out.get(i);
            UserRequest req = batch.get(i);
            long latency = end - req.ingestMillis;
            rec.setProcessingLatencyMs(deterministicOutput ? 0L : latency);
            processingLatencyMillis.update(latency);
            latencyAccumulator.add((int) Math.min(Integer.MAX_VALUE, latency));
            output.collect(new StreamRecord<>(rec, req.eventTime));
        }
        recommendations.inc(out.size());
        if (deterministicOutput) {
            try {
                advanceWatermark();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
