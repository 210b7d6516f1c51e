package dev.sidflow.serve.llm;

import java.io.Serializable;
import java.net.URI;
import java.util.Locale;

/**
 * Where and how to call an OpenAI-compatible server (vLLM, llama.cpp server, TGI, ...) that serves
 * a model fine-tuned on {@code sidflow export instructions} data.
 *
 * @param url          base URL ({@code http://host:8000/v1}) or the full endpoint URL
 * @param model        model name the server knows
 * @param api          {@code chat} (POST /chat/completions, the server applies the chat template)
 *                     or {@code completions} (POST /completions with the raw prompt)
 * @param timeoutMs    per HTTP call
 * @param retries      extra attempts after a retryable failure (timeout, connection error, 429, 5xx)
 * @param retryDelayMs pause before each retry
 * @param maxTokens    generation limit (one SID is 6 tokens)
 * @param temperature  sampling temperature (0 = greedy)
 * @param choices      completions asked per request ({@code n}); their SIDs are merged in order
 * @param maxHistory   most recent items put in the prompt (as in the export's --max-history)
 * @param system       system prompt, as given to the export's --system; blank for none
 * @param apiKeyEnv    name of an environment variable holding a bearer token; blank for none
 */
public record LlmBackend(String url, String model, String api, long timeoutMs, int retries, long retryDelayMs,
                         int maxTokens, double temperature, int choices, int maxHistory, String system,
                         String apiKeyEnv) implements Serializable {
    public LlmBackend {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("generator.url is required for the openai backend");
        URI.create(url);
        if (model == null || model.isBlank()) throw new IllegalArgumentException("generator.model is required for the openai backend");
        api = api == null ? "chat" : api.toLowerCase(Locale.ROOT);
        if (!api.equals("chat") && !api.equals("completions")) {
            throw new IllegalArgumentException("generator.api must be chat or completions, got \"" + api + "\"");
        }
        if (timeoutMs < 1) throw new IllegalArgumentException("generator.timeoutMs must be >= 1");
        if (retries < 0 || retryDelayMs < 0) throw new IllegalArgumentException("generator.retries and retryDelayMs must be >= 0");
        if (maxTokens < 6) throw new IllegalArgumentException("generator.maxTokens must be >= 6 (one SID is 6 tokens)");
        if (choices < 1) throw new IllegalArgumentException("generator.choices must be >= 1");
        if (maxHistory < 1) throw new IllegalArgumentException("generator.maxHistory must be >= 1");
    }

    /** A backend with the defaults for everything but the server. */
    public static LlmBackend of(String url, String model) {
        return new LlmBackend(url, model, "chat", 2000, 2, 50, 64, 0.0, 1, 20, null, null);
    }

    public LlmBackend withTimeout(long ms, int retries) {
        return new LlmBackend(url, model, api, ms, retries, retryDelayMs, maxTokens, temperature, choices, maxHistory, system, apiKeyEnv);
    }

    /** The endpoint posted to: the URL itself if it already names one, else base + /chat/completions or /completions. */
    public URI endpoint() {
        String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (u.endsWith("/completions")) return URI.create(u);
        return URI.create(u + (api.equals("chat") ? "/chat/completions" : "/completions"));
    }
}
