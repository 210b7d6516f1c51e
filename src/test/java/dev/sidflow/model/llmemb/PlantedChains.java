package dev.sidflow.model.llmemb;

import dev.sidflow.data.LeaveOneOut;
import dev.sidflow.eval.LeaveOneOutCases;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Planted sequential data: items on a ring, each user walks i -> i+1 (mod n) and with probability
 * {@code noise} jumps to a random item instead. A sequential model can learn the successor; a
 * popularity model cannot (popularity is nearly uniform).
 */
final class PlantedChains {
    private PlantedChains() {}

    static Map<String, List<String>> sequences(int numItems, int users, int minLen, int maxLen, double noise, long seed) {
        Random rnd = new Random(seed);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int u = 0; u < users; u++) {
            int len = minLen + rnd.nextInt(maxLen - minLen + 1);
            int item = rnd.nextInt(numItems);
            List<String> seq = new ArrayList<>(len);
            for (int t = 0; t < len; t++) {
                seq.add(Integer.toString(item));
                item = rnd.nextDouble() < noise ? rnd.nextInt(numItems) : (item + 1) % numItems;
            }
            out.put("u" + u, seq);
        }
        return out;
    }

    static LeaveOneOutCases cases(Map<String, List<String>> sequences, int numItems) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < numItems; i++) index.put(Integer.toString(i), i);
        return LeaveOneOutCases.of(LeaveOneOut.split(sequences), index);
    }
}
