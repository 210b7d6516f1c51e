package dev.sidflow.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The leave-one-out protocol of the published numbers on the Amazon sets: per user, the last
 * item is the test target, the second last the validation target, the rest is training.
 * Users with fewer than 3 interactions are kept for training only.
 */
public final class LeaveOneOut {

    /**
     * One user's split.
     *
     * @param train      items before the validation target (chronological)
     * @param validation second-last item, or null when the user has fewer than 3 items
     * @param test       last item, or null when the user has fewer than 3 items
     */
    public record UserSplit(String userId, List<String> train, String validation, String test) {
        /** History to predict the validation target from. */
        public List<String> validationHistory() { return train; }

        /** History to predict the test target from: training items plus the validation item. */
        public List<String> testHistory() {
            List<String> h = new ArrayList<>(train);
            if (validation != null) h.add(validation);
            return h;
        }

        public boolean evaluable() { return test != null; }
    }

    private LeaveOneOut() {}

    public static List<UserSplit> split(Dataset dataset) {
        return split(dataset.sequences());
    }

    public static List<UserSplit> split(Map<String, List<String>> sequences) {
        List<UserSplit> out = new ArrayList<>(sequences.size());
        for (Map.Entry<String, List<String>> e : sequences.entrySet()) {
            List<String> seq = e.getValue();
            if (seq.size() < 3) {
                out.add(new UserSplit(e.getKey(), List.copyOf(seq), null, null));
            } else {
                int n = seq.size();
                out.add(new UserSplit(e.getKey(), List.copyOf(seq.subList(0, n - 2)), seq.get(n - 2), seq.get(n - 1)));
            }
        }
        return out;
    }
}
