package dev.sidflow.model.generator;

import dev.sidflow.data.LeaveOneOut;
import dev.sidflow.data.LeaveOneOut.UserSplit;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidTrie;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Planted sequential data: items with random SIDs, each item has a fixed successor, users walk the
 * successor chain and jump to a random item with probability {@code noise}.
 */
record PlantedChains(Map<String, SemanticId> sids, SidTrie trie, Map<String, String> successor, List<UserSplit> splits) {

    static PlantedChains generate(int items, int users, int minLength, int maxLength, double noise, long seed) {
        Random r = new Random(seed);
        Map<String, SemanticId> sids = new LinkedHashMap<>();
        Set<SemanticId> used = new HashSet<>();
        SidTrie trie = new SidTrie();
        List<String> ids = new ArrayList<>();
        while (sids.size() < items) {
            // few distinct codes per level so prefixes are shared, like real RQ codes
            SemanticId sid = new SemanticId(r.nextInt(8), r.nextInt(8), r.nextInt(8), r.nextInt(2));
            if (!used.add(sid)) continue;
            String id = "item" + sids.size();
            sids.put(id, sid);
            trie.put(sid, id);
            ids.add(id);
        }
        List<String> shuffled = new ArrayList<>(ids);
        java.util.Collections.shuffle(shuffled, r);
        Map<String, String> successor = new HashMap<>();
        for (int i = 0; i < shuffled.size(); i++) successor.put(shuffled.get(i), shuffled.get((i + 1) % shuffled.size()));
        Map<String, List<String>> sequences = new LinkedHashMap<>();
        for (int u = 0; u < users; u++) {
            int len = minLength + r.nextInt(maxLength - minLength + 1);
            List<String> seq = new ArrayList<>(len);
            String cur = ids.get(r.nextInt(items));
            seq.add(cur);
            while (seq.size() < len) {
                cur = r.nextDouble() < noise ? ids.get(r.nextInt(items)) : successor.get(cur);
                seq.add(cur);
            }
            sequences.put("user" + u, seq);
        }
        return new PlantedChains(sids, trie, successor, LeaveOneOut.split(sequences));
    }

    List<List<SemanticId>> testHistories() {
        List<List<SemanticId>> out = new ArrayList<>();
        for (UserSplit s : splits) if (s.evaluable()) out.add(SequenceExamples.known(s.testHistory(), sids));
        return out;
    }

    List<String> testTargets() {
        List<String> out = new ArrayList<>();
        for (UserSplit s : splits) if (s.evaluable()) out.add(s.test());
        return out;
    }
}
