package dev.sidflow.serve.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions and completions response
 * shapes, answering from a script: prompt (the user message) -> what to do. Every request body is
 * recorded. Tests (unit and Flink) run the LLM backend against it.
 */
public final class OpenAiTestServer implements AutoCloseable {
    /** What the server does with one request: wait, then answer with a status and either choices or a raw body. */
    public record Reply(int status, List<String> choices, String rawBody, long delayMs) {
        public static Reply ok(String... choices) { return new Reply(200, List.of(choices), null, 0); }
        public static Reply raw(int status, String body) { return new Reply(status, List.of(), body, 0); }
        public static Reply slow(long ms, String... choices) { return new Reply(200, List.of(choices), null, ms); }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private volatile Function<String, Reply> script;

    public OpenAiTestServer(Function<String, Reply> script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", ex -> handle(ex, true));
        server.createContext("/v1/completions", ex -> handle(ex, false));
        server.setExecutor(pool);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public List<JsonNode> requests() {
        return requests;
    }

    public void script(Function<String, Reply> s) {
        script = s;
    }

    private void handle(HttpExchange ex, boolean chat) throws IOException {
        try (ex) {
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            requests.add(body);
            String prompt = chat ? body.at("/messages").get(body.at("/messages").size() - 1).get("content").asText()
                    : body.get("prompt").asText();
            Reply r = script.apply(prompt);
            if (r.delayMs() > 0) {
                try {
                    Thread.sleep(r.delayMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] out = (r.rawBody() != null ? r.rawBody() : response(chat, body.path("model").asText(), r.choices()))
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(r.status(), out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            } catch (IOException clientGone) {
                // the client timed out and hung up: nothing left to do
            }
        }
    }

    private static String response(boolean chat, String model, List<String> choices) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", "cmpl-test");
        o.put("object", chat ? "chat.completion" : "text_completion");
        o.put("created", 1700000000L);
        o.put("model", model);
        ArrayNode arr = o.putArray("choices");
        for (int i = 0; i < choices.size(); i++) {
            ObjectNode c = arr.addObject();
            c.put("index", i);
            if (chat) c.putObject("message").put("role", "assistant").put("content", choices.get(i));
            else c.put("text", choices.get(i));
            c.put("finish_reason", "stop");
        }
        o.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 6).put("total_tokens", 16);
        return o.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
