package dev.sidflow.serve.llm;

/** A failed call to the LLM server; {@link #retryable()} says whether trying again can help. */
public final class LlmCallException extends RuntimeException {
    public enum Kind { TIMEOUT, CONNECTION, HTTP_STATUS, BAD_RESPONSE }

    private final Kind kind;
    private final int status;

    public LlmCallException(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() { return kind; }

    /** HTTP status, or 0 when there was no response. */
    public int status() { return status; }

    /** Timeouts, connection errors, 429 and 5xx are worth retrying; a 4xx or an unreadable 200 is not. */
    public boolean retryable() {
        return switch (kind) {
            case TIMEOUT, CONNECTION -> true;
            case HTTP_STATUS -> status == 429 || status >= 500;
            case BAD_RESPONSE -> false;
        };
    }
}
