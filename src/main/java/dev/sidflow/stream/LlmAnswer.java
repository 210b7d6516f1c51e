package dev.sidflow.stream;

/**
 * One request after the LLM stage: the request with the LLM's proposal on it (or none), and
 * whether another attempt could help. A POJO so it travels without Kryo.
 */
public class LlmAnswer {
    public UserRequest request;
    /** The call failed in a way worth retrying (timeout, connection, 429, 5xx); the retry strategy reads it. */
    public boolean retryable;

    public LlmAnswer() {}

    LlmAnswer(UserRequest request, boolean retryable) {
        this.request = request;
        this.retryable = retryable;
    }

    public UserRequest request() {
        return request;
    }
}
