package dev.sidflow.serve.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sidflow.instruct.Prompts;
import dev.sidflow.serve.Query;
import dev.sidflow.sid.SemanticId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OpenAI-compatible client against a real in-process HTTP server. */
class LlmClientTest {
    static final SemanticId A = new SemanticId(1, 2, 3, 0);
    static final SemanticId B = new SemanticId(4, 5, 6, 1);
    static final SemanticId C = new SemanticId(7, 8, 9, 0);

    @Test
    void chatRequestCarriesTheExportPromptAndRepliesAreParsedIntoSids() throws Exception {
        try (OpenAiTestServer server = new OpenAiTestServer(p -> OpenAiTestServer.Reply.ok(
                "Next: " + B + " or maybe " + C + " <|sid_start|><|sid_9|><|sid_end|>", "" + B + A))) {
            LlmBackend backend = new LlmBackend(server.baseUrl(), "sid-lora", "chat", 2000, 0, 0, 64, 0.0, 2, 2, "You recommend.", null);
            LlmClient client = new LlmClient(backend);
            LlmProposal p = client.propose(List.of(C, A, B)).join();
            // both choices, in order, without repeats; the malformed fragment is counted
            assertThat(p.sids()).containsExactly(B, C, A);
            assertThat(p.malformed()).isEqualTo(1);

            JsonNode req = server.requests().get(0);
            assertThat(req.get("model").asText()).isEqualTo("sid-lora");
            assertThat(req.get("n").asInt()).isEqualTo(2);
            assertThat(req.get("skip_special_tokens").asBoolean()).isFalse();
            assertThat(req.at("/messages/0/role").asText()).isEqualTo("system");
            assertThat(req.at("/messages/0/content").asText()).isEqualTo("You recommend.");
            // the user turn is exactly the export's next-item prompt over the last maxHistory (2) SIDs
            assertThat(req.at("/messages/1/content").asText()).isEqualTo(Prompts.nextItemQuestion(List.of(A, B)))
                    .isEqualTo(Prompts.NEXT_ITEM + "\n" + A + ", " + B);
        }
    }

    @Test
    void eachRequestKindIsAskedInTheWordsOfTheExportTaskThatAsksIt() {
        LlmClient client = new LlmClient(new LlmBackend("http://127.0.0.1:9/v1", "m", "chat", 2000, 0, 0, 64, 0.0, 1, 2, null, null));
        List<SemanticId> history = List.of(C, A, B);
        assertThat(client.prompt(Query.NEXT_ITEM, history, null)).isEqualTo(Prompts.nextItemQuestion(List.of(A, B)));
        Query similar = Query.fromWire(null, Map.of("seed", "i1"));
        assertThat(client.prompt(similar, history, C)).isEqualTo(Prompts.ITEM_TO_ITEM + "\n" + C);
        // a constraint on a seeded request is not in the item-to-item prompt: the service enforces it
        assertThat(client.prompt(Query.fromWire(null, Map.of("seed", "i1", "where.platform", "Xbox")), history, C))
                .isEqualTo(Prompts.ITEM_TO_ITEM + "\n" + C);
        assertThat(client.prompt(Query.fromWire(null, Map.of("where.platform", "Xbox", "where.genre", "Racing")), history, null))
                .isEqualTo("Here are the items a user interacted with, oldest first. Predict the next item the user will "
                        + "interact with, given that its genre is \"Racing\".\n" + A + ", " + B);
        assertThat(client.prompt(Query.fromWire("racing games for the Switch", Map.of()), history, null))
                .isEqualTo(Prompts.TEXT_TO_ITEMS + "\nracing games for the Switch");
        // nothing a fine-tuned model was taught to answer: no call
        assertThat(client.prompt(similar, history, null)).as("seed without a SID in the bundle").isNull();
        assertThat(client.prompt(Query.NEXT_ITEM, List.of(), null)).as("no history").isNull();
        assertThat(client.prompt(Query.fromWire(null, Map.of("where.platform", "Xbox")), List.of(), null)).isNull();
        assertThat(client.prompt(Query.fromWire(null, Map.of("request", "similar", "session", "s")), history, null)).isNull();
    }

    @Test
    void completionsApiPostsTheRawPrompt() throws Exception {
        try (OpenAiTestServer server = new OpenAiTestServer(p -> OpenAiTestServer.Reply.ok(A.toString()))) {
            LlmBackend backend = new LlmBackend(server.baseUrl(), "m", "completions", 2000, 0, 0, 64, 0.0, 1, 20, null, null);
            LlmProposal p = new LlmClient(backend).propose(List.of(B)).join();
            assertThat(p.sids()).containsExactly(A);
            assertThat(server.requests().get(0).get("prompt").asText()).isEqualTo(Prompts.nextItemQuestion(List.of(B)));
        }
    }

    @Test
    void serverErrorsAreRetriedThenGivenUp() throws Exception {
        AtomicInteger n = new AtomicInteger();
        try (OpenAiTestServer server = new OpenAiTestServer(p -> n.incrementAndGet() <= 2
                ? OpenAiTestServer.Reply.raw(500, "{\"error\":\"overloaded\"}") : OpenAiTestServer.Reply.ok(C.toString()))) {
            LlmClient client = new LlmClient(LlmBackend.of(server.baseUrl(), "m").withTimeout(2000, 2));
            // two 500s, then an answer: the third attempt succeeds
            assertThat(client.proposeWithRetries(List.of(A)).join().sids()).containsExactly(C);
            assertThat(client.counts()).containsExactly(3, 2, 2);

            server.script(p -> OpenAiTestServer.Reply.raw(503, "busy"));
            assertThatThrownBy(() -> client.proposeWithRetries(List.of(A)).join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(LlmCallException.class)
                    .hasMessageContaining("HTTP 503");
            assertThat(server.requests()).hasSize(3 + 3); // 1 + 2 retries
        }
    }

    @Test
    void clientErrorsAndGarbageAreNotRetried() throws Exception {
        try (OpenAiTestServer server = new OpenAiTestServer(p -> OpenAiTestServer.Reply.raw(400, "{\"error\":\"bad model\"}"))) {
            LlmClient client = new LlmClient(LlmBackend.of(server.baseUrl(), "m"));
            LlmCallException e = LlmClient.unwrap(catchFailure(() -> client.proposeWithRetries(List.of(A)).join()));
            assertThat(e.kind()).isEqualTo(LlmCallException.Kind.HTTP_STATUS);
            assertThat(e.status()).isEqualTo(400);
            assertThat(server.requests()).hasSize(1);

            server.script(p -> OpenAiTestServer.Reply.raw(200, "<html>not json</html>"));
            e = LlmClient.unwrap(catchFailure(() -> client.proposeWithRetries(List.of(A)).join()));
            assertThat(e.kind()).isEqualTo(LlmCallException.Kind.BAD_RESPONSE);
            assertThat(server.requests()).hasSize(2);

            // an answer without any SID is not an error: an empty proposal (the caller falls back)
            server.script(p -> OpenAiTestServer.Reply.ok("I think you would enjoy Halo."));
            LlmProposal empty = client.proposeWithRetries(List.of(A)).join();
            assertThat(empty.sids()).isEmpty();
            assertThat(empty.malformed()).isZero();
        }
    }

    @Test
    void slowAnswersTimeOutAndProposeAllFallsBackPerRequest() throws Exception {
        try (OpenAiTestServer server = new OpenAiTestServer(p -> p.endsWith(A.toString())
                ? OpenAiTestServer.Reply.slow(1500, B.toString()) : OpenAiTestServer.Reply.ok(C.toString()))) {
            LlmClient client = new LlmClient(LlmBackend.of(server.baseUrl(), "m").withTimeout(300, 1));
            long start = System.nanoTime();
            List<LlmProposal> out = client.proposeAll(List.of(List.of(A), List.of(B), List.of()));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(out.get(0)).isNull();                      // timed out twice: no usable answer
            assertThat(out.get(1).sids()).containsExactly(C);
            assertThat(out.get(2)).isNull();                      // empty history: not asked
            assertThat(ms).isLessThan(1400);                      // gave up on the slow server, did not wait it out
            LlmCallException e = LlmClient.unwrap(catchFailure(() -> client.propose(List.of(A)).join()));
            assertThat(e.kind()).isEqualTo(LlmCallException.Kind.TIMEOUT);
        }
    }

    @Test
    void unreachableServerIsARetryableConnectionError() {
        LlmClient client = new LlmClient(LlmBackend.of("http://127.0.0.1:1/v1", "m").withTimeout(500, 0));
        LlmCallException e = LlmClient.unwrap(catchFailure(() -> client.propose(List.of(A)).join()));
        assertThat(e.kind()).isEqualTo(LlmCallException.Kind.CONNECTION);
        assertThat(e.retryable()).isTrue();
    }

    private static Throwable catchFailure(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected a failure");
    }
}
