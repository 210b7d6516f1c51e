package dev.sidflow.sid;

/** A well-formed SID found in a text: {@code text.substring(start, end)} parses to {@code sid}. */
public record SidMatch(int start, int end, String text, SemanticId sid) {}
