package dev.sidflow.stream;

import dev.sidflow.model.ModelBundle;
import dev.sidflow.serve.Query;
import dev.sidflow.serve.llm.LlmBackend;
import dev.sidflow.serve.llm.LlmCallException;
import dev.sidflow.serve.llm.LlmClient;
import dev.sidflow.serve.llm.LlmProposal;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCodec;
import dev.sidflow.sid.SidFormatException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Flink async I/O: asks the LLM server for each request's items without blocking the task, with
 * the prompt of the export task that asks the same thing ({@link LlmClient#prompt(Query, List, SemanticId)}:
 * next-item, item-to-item for a seed, text-to-items for free text, attribute-steered for
 * constraints); a request no task asks is served by the built-in models alone.
 * Never fails the job: an error or a timeout yields the request without a proposal (the inference
 * operator then falls back to the built-in model); retryable errors are marked so the operator's
 * {@code AsyncRetryStrategy} tries again. Items of the history are turned into SIDs with the
 * bundle's catalog; items unknown to it (cold-start items) are left out of the prompt.
 *
 * <p>Metrics: {@code llmCalls} (HTTP calls, retries included), {@code llmFailures} (failed calls),
 * {@code llmTimeouts} (requests given up after all attempts ran out of time). Flink's async
 * functions cannot use accumulators; the outcome totals are accumulated by the inference operator.
 */
public class LlmProposeFunction extends RichAsyncFunction<UserRequest, LlmAnswer> {
    private final LlmBackend backend;
    private final String bundleDir;

    private transient LlmClient client;
    private transient Map<String, SemanticId> sids;
    private transient Counter calls, failures, timeouts;

    public LlmProposeFunction(LlmBackend backend, String bundleDir) {
        this.backend = backend;
        this.bundleDir = bundleDir;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        client = new LlmClient(backend);
        sids = ModelBundle.open(Path.of(bundleDir)).sids();
        var metrics = getRuntimeContext().getMetricGroup();
        calls = metrics.counter("llmCalls");
        failures = metrics.counter("llmFailures");
        timeouts = metrics.counter("llmTimeouts");
    }

    @Override
    public void asyncInvoke(UserRequest request, ResultFuture<LlmAnswer> result) {
        List<SemanticId> history = new ArrayList<>(request.history.length);
        for (String id : request.history) {
            SemanticId sid = sids.get(id);
            if (sid != null) history.add(sid);
        }
        Query query = request.query == null ? Query.NEXT_ITEM : request.query.toQuery();
        String prompt = client.prompt(query, history, seedSid(query));
        if (prompt == null) { // nothing the LLM was trained to answer: the built-in models serve it
            result.complete(List.of(new LlmAnswer(copy(request, null), false)));
            return;
        }
        calls.inc();
        client.propose(prompt).whenComplete((proposal, err) -> {
            if (err == null) {
                result.complete(List.of(new LlmAnswer(copy(request, proposal), false)));
                return;
            }
            failures.inc();
            LlmCallException e = unwrap(err);
            result.complete(List.of(new LlmAnswer(copy(request, null), e.retryable())));
        });
    }

    /** The seed's SID: as given, or the bundle's for the seed item; null when there is none or it is unknown. */
    private SemanticId seedSid(Query q) {
        if (q.seedSid() != null) {
            try {
                return SidCodec.parse(q.seedSid());
            } catch (SidFormatException e) {
                return null; // dead-lettered by the inference stage
            }
        }
        return q.seedItem() == null ? null : sids.get(q.seedItem());
    }

    /** Every attempt together took too long: serve the request without the LLM. */
    @Override
    public void timeout(UserRequest request, ResultFuture<LlmAnswer> result) {
        timeouts.inc();
        result.complete(List.of(new LlmAnswer(copy(request, null), false)));
    }

    private static LlmCallException unwrap(Throwable err) {
        while (err.getCause() != null && !(err instanceof LlmCallException)) err = err.getCause();
        return err instanceof LlmCallException e ? e
                : new LlmCallException(LlmCallException.Kind.CONNECTION, 0, String.valueOf(err), err);
    }

    /** A fresh request (the input may be handed to a retry) with the proposal on it; its query and source are kept. */
    private static UserRequest copy(UserRequest r, LlmProposal proposal) {
        UserRequest out = new UserRequest(r);
        out.proposedSids = null;
        out.malformedSids = 0;
        if (proposal != null) {
            out.proposedSids = proposal.sids().stream().map(SemanticId::toString).toArray(String[]::new);
            out.malformedSids = proposal.malformed();
        }
        return out;
    }
}
