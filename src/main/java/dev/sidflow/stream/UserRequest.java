package dev.sidflow.stream;

import dev.sidflow.serve.RecommendRequest;

import java.util.Arrays;

/**
 * A recommendation request as it travels between operators: the triggering event and the
 * user's history at that moment. A POJO (array fields) so it crosses the network without Kryo;
 * {@link #toServeRequest()} turns it into the Flink-free type the recommender takes.
 */
public class UserRequest {
    public String requestKey;
    public String userId;
    /** Item of the triggering event; null for a pure request. */
    public String itemId;
    public String[] history;
    public long eventTime;
    public long ingestMillis;
    /** What a REQUEST event asks for beyond next-item (session applied); null for a plain next-item request. */
    public RequestQuery query;
    /** Where a request with a query came from, so the inference stage can dead-letter it; null/0 otherwise. */
    public byte[] raw;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    /** SIDs an LLM proposed (LLM backend only); null when it gave no usable answer. */
    public String[] proposedSids;
    /** Malformed SID fragments in the LLM's answer. */
    public int malformedSids;

    public UserRequest() {}

    /** A copy of every field (arrays shared: requests are not mutated after they are built). */
    public UserRequest(UserRequest r) {
        this(r.requestKey, r.userId, r.itemId, r.history, r.eventTime, r.ingestMillis);
        this.query = r.query;
        this.raw = r.raw;
        this.sourceTopic = r.sourceTopic;
        this.sourcePartition = r.sourcePartition;
        this.sourceOffset = r.sourceOffset;
        this.proposedSids = r.proposedSids;
        this.malformedSids = r.malformedSids;
    }

    public UserRequest(String requestKey, String userId, String itemId, String[] history, long eventTime, long ingestMillis) {
        this.requestKey = requestKey;
        this.userId = userId;
        this.itemId = itemId;
        this.history = history;
        this.eventTime = eventTime;
        this.ingestMillis = ingestMillis;
    }

    /** The LLM's proposal as the service takes it, or null. */
    public dev.sidflow.serve.llm.LlmProposal proposal() {
        if (proposedSids == null) return null;
        java.util.List<dev.sidflow.sid.SemanticId> sids = new java.util.ArrayList<>(proposedSids.length);
        for (String s : proposedSids) sids.add(dev.sidflow.sid.SidCodec.parse(s));
        return new dev.sidflow.serve.llm.LlmProposal(sids, malformedSids);
    }

    public RecommendRequest toServeRequest() {
        return new RecommendRequest(requestKey, userId, Arrays.asList(history), eventTime, ingestMillis,
                query == null ? null : query.toQuery());
    }

    /** Attaches a query and the source record it came from. */
    public UserRequest withQuery(RequestQuery q, SourcedEvent source) {
        this.query = q;
        this.raw = source.raw;
        this.sourceTopic = source.topic;
        this.sourcePartition = source.partition;
        this.sourceOffset = source.offset;
        return this;
    }
}
