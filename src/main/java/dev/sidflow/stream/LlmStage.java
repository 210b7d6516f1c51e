package dev.sidflow.stream;

import dev.sidflow.serve.llm.LlmBackend;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.async.AsyncRetryStrategy;
import org.apache.flink.streaming.util.retryable.AsyncRetryStrategies;

import java.io.Serializable;
import java.util.Collection;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;

/**
 * The optional LLM stage between the user-history and inference operators: async I/O to an
 * OpenAI-compatible server with a timeout, a capacity of in-flight requests and retries.
 *
 * @param backend   the server and how to call it
 * @param bundleDir bundle whose catalog turns history and seed items into SIDs
 * @param capacity  requests in flight per task at most (backpressure beyond)
 * @param ordered   emit in input order (replays stay in order) or as answers arrive (lower latency)
 */
public record LlmStage(LlmBackend backend, String bundleDir, int capacity, boolean ordered) implements Serializable {

    /**
     * Time for every attempt together, after which the request goes on without the LLM. Each HTTP
     * call is bounded by its own timeout already; this is the safety net, with room for retries
     * whose timers fire late on a busy task.
     */
    public long totalTimeoutMs() {
        return backend.timeoutMs() * (backend.retries() + 1L) + backend.retryDelayMs() * backend.retries() + 5000;
    }

    public DataStream<UserRequest> apply(DataStream<UserRequest> requests, int parallelism) {
        LlmProposeFunction fn = new LlmProposeFunction(backend, bundleDir);
        @SuppressWarnings("unchecked")
        AsyncRetryStrategy<LlmAnswer> retry = backend.retries() == 0 // Flink's fixed-delay builder refuses zero attempts
                ? AsyncRetryStrategies.NO_RETRY_STRATEGY
                : new AsyncRetryStrategies.FixedDelayRetryStrategyBuilder<LlmAnswer>(backend.retries(), backend.retryDelayMs())
                        .ifResult((Predicate<Collection<LlmAnswer>> & Serializable) a -> a.stream().anyMatch(x -> x.retryable))
                        .build();
        SingleOutputStreamOperator<LlmAnswer> answers = ordered
                ? AsyncDataStream.orderedWaitWithRetry(requests, fn, totalTimeoutMs(), TimeUnit.MILLISECONDS, capacity, retry)
                : AsyncDataStream.unorderedWaitWithRetry(requests, fn, totalTimeoutMs(), TimeUnit.MILLISECONDS, capacity, retry);
        return answers.name("llm-propose").uid("llm-propose").setParallelism(parallelism)
                .map(LlmAnswer::request).returns(TypeInformation.of(UserRequest.class))
                .name("llm-answers").uid("llm-answers").setParallelism(parallelism);
    }
}
