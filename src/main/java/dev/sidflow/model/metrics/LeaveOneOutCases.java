package dev.sidflow.model.metrics;

import dev.sidflow.data.LeaveOneOut;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns {@link LeaveOneOut} splits with string item ids into dense-index training sequences and
 * evaluation cases. Validation: history = train, target = second last. Test: history = train +
 * validation item, target = last.
 */
public record LeaveOneOutCases(List<List<Integer>> trainSequences, List<EvalCase> validation, List<EvalCase> test) {

    public static LeaveOneOutCases of(List<LeaveOneOut.UserSplit> splits, Map<String, Integer> itemIndex) {
        List<List<Integer>> train = new ArrayList<>(splits.size());
        List<EvalCase> val = new ArrayList<>();
        List<EvalCase> test = new ArrayList<>();
        for (LeaveOneOut.UserSplit s : splits) {
            List<Integer> tr = indices(s.train(), itemIndex, s.userId());
            train.add(tr);
            if (s.evaluable()) {
                val.add(new EvalCase(tr, index(s.validation(), itemIndex, s.userId())));
                test.add(new EvalCase(indices(s.testHistory(), itemIndex, s.userId()), index(s.test(), itemIndex, s.userId())));
            }
        }
        return new LeaveOneOutCases(List.copyOf(train), List.copyOf(val), List.copyOf(test));
    }

    private static List<Integer> indices(List<String> ids, Map<String, Integer> itemIndex, String user) {
        List<Integer> out = new ArrayList<>(ids.size());
        for (String id : ids) out.add(index(id, itemIndex, user));
        return out;
    }

    private static int index(String id, Map<String, Integer> itemIndex, String user) {
        Integer i = itemIndex.get(id);
        if (i == null) throw new IllegalArgumentException("user " + user + ": item " + id + " is not in the catalog");
        return i;
    }
}
