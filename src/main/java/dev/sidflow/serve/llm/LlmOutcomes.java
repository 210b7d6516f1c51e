package dev.sidflow.serve.llm;

/**
 * Counts of what became of LLM proposals.
 *
 * @param served      requests whose recommendation starts with at least one LLM-proposed item
 * @param fallbacks   requests served by the built-in model alone (no answer, or no valid new item in it)
 * @param invalidSids proposed SIDs dropped as not in the live catalog, plus malformed SID fragments
 */
public record LlmOutcomes(long served, long fallbacks, long invalidSids) {
    public static final LlmOutcomes NONE = new LlmOutcomes(0, 0, 0);
}
