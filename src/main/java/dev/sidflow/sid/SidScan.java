package dev.sidflow.sid;

import java.util.List;

/** Everything {@link SidCodec#scan} found in a text, each list in text order. */
public record SidScan(List<SidMatch> matches, List<MalformedSid> malformed) {
    public SidScan {
        matches = List.copyOf(matches);
        malformed = List.copyOf(malformed);
    }

    /** True if the text held no malformed SID fragment. */
    public boolean clean() {
        return malformed.isEmpty();
    }

    public List<SemanticId> sids() {
        return matches.stream().map(SidMatch::sid).toList();
    }
}
