package dev.sidflow.stream.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Small admin operations sidflow needs: create missing topics, list topics with partition counts. */
public final class TopicAdmin {
    private static final long TIMEOUT_S = 30;

    private TopicAdmin() {}

    /** Creates the topics that do not exist yet; returns the names it created. */
    public static List<String> ensureTopics(Admin admin, Collection<NewTopic> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
        List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
        List<String> created = new ArrayList<>();
        if (missing.isEmpty()) return created;
        var result = admin.createTopics(missing);
        for (NewTopic t : missing) {
            try {
                result.values().get(t.name()).get(TIMEOUT_S, TimeUnit.SECONDS);
                created.add(t.name());
            } catch (ExecutionException e) {
                // created concurrently by someone else: that is what we wanted
                if (!(e.getCause() instanceof TopicExistsException)) throw e;
            }
        }
        return created;
    }

    /** Non-internal topics with their partition counts, sorted by name. */
    public static Map<String, Integer> partitionCounts(Admin admin, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> names = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
        Map<String, Integer> counts = new TreeMap<>();
        if (names.isEmpty()) return counts;
        Map<String, TopicDescription> descriptions =
                admin.describeTopics(names).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
        descriptions.forEach((name, d) -> counts.put(name, d.partitions().size()));
        return counts;
    }
}
