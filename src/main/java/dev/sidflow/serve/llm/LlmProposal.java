package dev.sidflow.serve.llm;

import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCodec;
import dev.sidflow.sid.SidScan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The SIDs an LLM answered with, in order and without repeats, before catalog validation; plus how
 * many malformed SID fragments its text held (those count as invalid SIDs).
 */
public record LlmProposal(List<SemanticId> sids, int malformed) {
    public LlmProposal {
        sids = List.copyOf(sids);
    }

    /** Every well-formed SID in the answers (choice by choice), first occurrence kept. */
    public static LlmProposal parse(List<String> answers) {
        Set<SemanticId> seen = new LinkedHashSet<>();
        int malformed = 0;
        for (String a : answers) {
            if (a == null) continue;
            SidScan scan = SidCodec.scan(a);
            scan.matches().forEach(m -> seen.add(m.sid()));
            malformed += scan.malformed().size();
        }
        return new LlmProposal(new ArrayList<>(seen), malformed);
    }
}
