package dev.sidflow.serve.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sidflow.instruct.Prompts;
import dev.sidflow.serve.Query;
import dev.sidflow.sid.SemanticId;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A generator that asks an OpenAI-compatible server for items: each request becomes the prompt of
 * the export task that asks the same thing ({@link #prompt(Query, List, SemanticId)}), the reply's
 * SIDs are extracted ({@link LlmProposal#parse}). Non-blocking (java.net.http), thread-safe, one
 * connection pool per instance. Catalog validation and the fallback to the built-in generator
 * happen where the catalog lives (see {@code CatalogRecommendationService#recommend(List, List)}).
 *
 * <p>vLLM strips special tokens from replies unless told not to: requests carry
 * {@code skip_special_tokens: false} (other servers ignore the field).
 */
public final class LlmClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LlmBackend backend;
    private final HttpClient http;
    private final String apiKey;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    public LlmClient(LlmBackend backend) {
        this.backend = backend;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(backend.timeoutMs()))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        String key = backend.apiKeyEnv() == null || backend.apiKeyEnv().isBlank() ? null : System.getenv(backend.apiKeyEnv());
        this.apiKey = key == null || key.isBlank() ? null : key;
    }

    public LlmBackend backend() {
        return backend;
    }

    /** The user turn for a history: its last {@code maxHistory} SIDs in the export's next-item prompt. */
    public String prompt(List<SemanticId> history) {
        return Prompts.nextItemQuestion(recent(history));
    }

    /**
     * The user turn for a request, in the words of the export task a fine-tuned model learned for
     * it, or null where no task asks it (the built-in models then answer alone):
     * <ul>
     *   <li>a seed: {@code item-to-item} for the seed's SID (null when the seed has no SID in the bundle);</li>
     *   <li>free text: {@code text-to-items} with the text as the request;</li>
     *   <li>otherwise the user's history (null when empty): {@code next-item}, or with constraints
     *       {@code attribute-steered} naming the first of them (the export names one attribute).</li>
     * </ul>
     * The answer is not trusted to respect the request: the service drops proposed items that
     * break a constraint, the seed and the user's recent items.
     *
     * @param seed the seed's SID, or null
     */
    public String prompt(Query query, List<SemanticId> history, SemanticId seed) {
        Query.Kind asked = query.requested();
        // requests that will be refused as asked: no call
        if ((asked == Query.Kind.SIMILAR && !query.hasSeed()) || (asked == Query.Kind.TEXT && !query.hasText())
                || (asked == Query.Kind.STEERED && query.activeWhere().isEmpty())) {
            return null;
        }
        if (query.hasSeed()) return seed == null ? null : Prompts.itemToItemQuestion(seed);
        if (query.hasText()) return Prompts.textToItemsQuestion(query.text());
        if (history.isEmpty()) return null;
        Map<String, String> where = query.activeWhere();
        if (where.isEmpty()) return prompt(history);
        Map.Entry<String, String> first = where.entrySet().iterator().next();
        return Prompts.attributeSteeredQuestion(recent(history), first.getKey(), first.getValue());
    }

    private List<SemanticId> recent(List<SemanticId> history) {
        int from = Math.max(0, history.size() - backend.maxHistory());
        return history.subList(from, history.size());
    }

    /** One call (no retry): the text of each returned choice; fails with {@link LlmCallException}. */
    public CompletableFuture<List<String>> complete(String userMessage) {
        calls.incrementAndGet();
        HttpRequest.Builder req = HttpRequest.newBuilder(backend.endpoint())
                .timeout(Duration.ofMillis(backend.timeoutMs()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(userMessage)));
        if (apiKey != null) req.header("Authorization", "Bearer " + apiKey);
        return http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString())
                .handle((resp, err) -> {
                    if (err != null) throw failed(classify(err));
                    if (resp.statusCode() != 200) {
                        String b = resp.body() == null ? "" : resp.body();
                        throw failed(new LlmCallException(LlmCallException.Kind.HTTP_STATUS, resp.statusCode(),
                                "LLM server answered HTTP " + resp.statusCode() + ": " + b.substring(0, Math.min(200, b.length())), null));
                    }
                    try {
                        return texts(resp.body());
                    } catch (LlmCallException e) {
                        throw failed(e);
                    }
                });
    }

    /** One call for a history, parsed into proposed SIDs. */
    public CompletableFuture<LlmProposal> propose(List<SemanticId> history) {
        return propose(prompt(history));
    }

    /** One call for a user turn (see {@link #prompt(Query, List, SemanticId)}), parsed into proposed SIDs. */
    public CompletableFuture<LlmProposal> propose(String userMessage) {
        return complete(userMessage).thenApply(LlmProposal::parse);
    }

    /** {@link #propose} with up to {@code retries} more attempts after retryable failures. */
    public CompletableFuture<LlmProposal> proposeWithRetries(List<SemanticId> history) {
        return attempt(history, backend.retries());
    }

    private CompletableFuture<LlmProposal> attempt(List<SemanticId> history, int left) {
        return propose(history).handle((p, err) -> {
            if (err == null) return CompletableFuture.completedFuture(p);
            LlmCallException e = unwrap(err);
            if (left <= 0 || !e.retryable()) return CompletableFuture.<LlmProposal>failedFuture(e);
            retries.incrementAndGet();
            Executor later = CompletableFuture.delayedExecutor(backend.retryDelayMs(), TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> null, later).thenCompose(x -> attempt(history, left - 1));
        }).thenCompose(f -> f);
    }

    /**
     * Proposals for many histories at once (all calls in flight together, each with retries); null
     * where the server gave no usable answer (error, timeout), so the caller falls back.
     */
    public List<LlmProposal> proposeAll(List<List<SemanticId>> histories) {
        List<CompletableFuture<LlmProposal>> futures = new ArrayList<>(histories.size());
        for (List<SemanticId> h : histories) {
            futures.add(h.isEmpty() ? CompletableFuture.completedFuture(null) : proposeWithRetries(h).exceptionally(e -> null));
        }
        List<LlmProposal> out = new ArrayList<>(histories.size());
        for (CompletableFuture<LlmProposal> f : futures) out.add(f.join());
        return out;
    }

    /** HTTP calls made, calls that failed, retries made. */
    public long[] counts() {
        return new long[] {calls.get(), failures.get(), retries.get()};
    }

    private LlmCallException failed(LlmCallException e) {
        failures.incrementAndGet();
        return e;
    }

    static LlmCallException unwrap(Throwable err) {
        while ((err instanceof CompletionException || err instanceof java.util.concurrent.ExecutionException)
                && err.getCause() != null) {
            err = err.getCause();
        }
        return err instanceof LlmCallException e ? e : classify(err);
    }

    private static LlmCallException classify(Throwable err) {
        while (err instanceof CompletionException && err.getCause() != null) err = err.getCause();
        if (err instanceof LlmCallException e) return e;
        if (err instanceof HttpTimeoutException) {
            return new LlmCallException(LlmCallException.Kind.TIMEOUT, 0, "LLM server did not answer in time", err);
        }
        if (err instanceof ConnectException || err instanceof IOException) {
            return new LlmCallException(LlmCallException.Kind.CONNECTION, 0, "cannot reach the LLM server: " + err, err);
        }
        return new LlmCallException(LlmCallException.Kind.CONNECTION, 0, "LLM call failed: " + err, err);
    }

    private String body(String userMessage) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", backend.model());
        if (backend.api().equals("chat")) {
            ArrayNode messages = o.putArray("messages");
            if (backend.system() != null && !backend.system().isBlank()) {
                messages.addObject().put("role", "system").put("content", backend.system());
            }
            messages.addObject().put("role", "user").put("content", userMessage);
        } else {
            o.put("prompt", userMessage);
        }
        o.put("max_tokens", backend.maxTokens());
        o.put("temperature", backend.temperature());
        o.put("n", backend.choices());
        o.put("skip_special_tokens", false);
        o.put("spaces_between_special_tokens", false);
        return o.toString();
    }

    /** choices[].message.content (chat) or choices[].text (completions). */
    static List<String> texts(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new LlmCallException(LlmCallException.Kind.BAD_RESPONSE, 200, "LLM server's answer is not JSON", e);
        }
        JsonNode choices = root == null ? null : root.get("choices");
        if (choices == null || !choices.isArray()) {
            throw new LlmCallException(LlmCallException.Kind.BAD_RESPONSE, 200, "LLM server's answer has no choices array", null);
        }
        List<String> out = new ArrayList<>(choices.size());
        for (JsonNode c : choices) {
            JsonNode content = c.path("message").path("content");
            if (content.isTextual()) out.add(content.asText());
            else if (c.path("text").isTextual()) out.add(c.path("text").asText());
        }
        return out;
    }
}
