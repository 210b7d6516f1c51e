package dev.sidflow.model;

import dev.sidflow.sid.SemanticId;

/**
 * One recommended item: its semantic ID, the item id the SID trie binds it to, and the model's
 * log-probability of generating that SID (sum of the four per-level log-probabilities).
 */
public record ScoredSid(SemanticId sid, String itemId, double score) {}
