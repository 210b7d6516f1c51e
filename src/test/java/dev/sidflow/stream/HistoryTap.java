package dev.sidflow.stream;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test sink on the workflow's accepted requests: records the history each request carried, by
 * event id, in a JVM-wide map (a MiniCluster runs in the test's JVM). This is how ITs see the
 * keyed history state a job restored without reading the savepoint's files.
 */
final class HistoryTap implements Sink<UserRequest> {
    static final Map<String, List<String>> HISTORIES = new ConcurrentHashMap<>();

    static void attach(RecommendationWorkflow.Outputs out) {
        out.acceptedEvents().sinkTo(new HistoryTap()).name("test-history-tap").uid("test-history-tap");
    }

    @Override
    public SinkWriter<UserRequest> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(UserRequest r, Context ctx) {
                HISTORIES.put(r.requestKey, List.of(r.history));
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
