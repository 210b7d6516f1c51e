package dev.sidflow.stream;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.Interaction;
import dev.sidflow.instruct.Prompts;
import dev.sidflow.model.ModelBundle;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendationSource;
import dev.sidflow.schema.RecommendedItem;
import dev.sidflow.serve.llm.OpenAiTestServer;
import dev.sidflow.serve.llm.OpenAiTestServer.Reply;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCodec;
import dev.sidflow.stream.kafka.EventMapping;
import dev.sidflow.stream.kafka.SourceEvent;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.flink.api.common.JobExecutionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay job with the LLM backend on: Flink async I/O to a real HTTP server that answers
 * with valid SIDs, unknown SIDs, malformed fragments, prose, HTTP 500s and too-slow replies.
 * Every event still gets 10 valid, title-mapped items; LLM items lead where the answer was valid
 * and new to the user; the counts of calls, failures, fallbacks and invalid SIDs add up exactly.
 */
class LlmBackendIT {

    @Test
    void llmProposalsLeadAndEveryFailureFallsBackToTheBuiltInGenerator(@TempDir Path tmp) throws Exception {
        ModelBundle bundle = ModelBundle.open(TinyBundle.dir());
        List<String> ids = bundle.itemIds();
        Map<String, SemanticId> sids = bundle.sids();
        Map<SemanticId, String> itemOf = new HashMap<>();
        sids.forEach((id, sid) -> itemOf.put(sid, id));
        SemanticId x = sids.get(ids.get(0)), y = sids.get(ids.get(1));
        SemanticId unknown = new SemanticId(255, 255, 255, 255);
        assertThat(itemOf).doesNotContainKey(unknown);

        // The group of a request is its triggering item's index mod 5; the prompt ends with that item's SID.
        Map<String, Integer> group = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) group.put(ids.get(i), i % 5);
        try (OpenAiTestServer server = new OpenAiTestServer(prompt -> {
            List<SemanticId> history = SidCodec.extractAll(prompt);
            return switch (group.get(itemOf.get(history.get(history.size() - 1)))) {
                case 0 -> Reply.ok("You will like " + x + " and " + unknown);
                case 1 -> Reply.ok("Something fun, I am sure!");
                case 2 -> Reply.raw(500, "{\"error\":\"engine crashed\"}");
                case 3 -> Reply.slow(2500, x.toString());
                default -> Reply.ok("<|sid_start|><|sid_3|><|sid_end|> then " + y);
            };
        })) {
            Dataset full = DatasetStore.read(TinyBundle.data());
            List<Interaction> events = full.interactions().subList(0, 400);
            Path data = tmp.resolve("data");
            DatasetStore.write(new Dataset("llm-it", full.items(), events, false), data);
            JobSpec spec = replaySpec(tmp, "replay-llm-it", data, "generator: {backend: openai, url: '" + server.baseUrl()
                    + "', model: sid-sft, timeoutMs: 1000, retries: 2, retryDelayMs: 50, capacity: 32}");
            assertThat(spec.llmStage()).isNotNull();
            JobExecutionResult result = JobRunner.run(JobRunner.prepareLocal(spec, false));

            Map<String, Interaction> byEventId = new HashMap<>();
            for (Interaction in : events) byEventId.put(EventMapping.toEvent(new SourceEvent(in, Map.of())).getEventId(), in);
            RecordCodec<Recommendation> codec = RecordCodec.of(Recommendation.class, WireFormat.JSON);
            List<Recommendation> recs = new ArrayList<>();
            for (Path p : ReplayJob.outputFiles(tmp.resolve("recs"), ReplayJob.RECOMMENDATIONS_PREFIX)) {
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) recs.add(codec.decode(line.getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(recs).hasSize(events.size());

            int[] perGroup = new int[5];
            long served = 0;
            Map<String, Set<String>> seenByUser = new HashMap<>();
            for (Interaction in : events) seenByUser.computeIfAbsent(in.userId(), u -> new HashSet<>());
            // replay order per user: the prefix of the user's items up to each event
            Map<String, Integer> eventIndex = new HashMap<>();
            for (int i = 0; i < events.size(); i++) {
                eventIndex.put(EventMapping.toEvent(new SourceEvent(events.get(i), Map.of())).getEventId(), i);
            }
            recs.sort(java.util.Comparator.comparingInt(r -> eventIndex.get(r.getRequestKey())));
            for (Recommendation rec : recs) {
                Interaction trigger = byEventId.get(rec.getRequestKey());
                Set<String> seen = seenByUser.get(trigger.userId());
                seen.add(trigger.itemId());
                int g = group.get(trigger.itemId());
                perGroup[g]++;
                List<RecommendedItem> items = rec.getItems();
                assertThat(items).hasSize(10);
                // nothing invalid gets through: every item is an exact catalog match
                assertThat(items).allSatisfy(i -> assertThat(i.getMatchLevel()).isEqualTo(4));
                long llmItems = items.stream().filter(i -> i.getSource() == RecommendationSource.LLM).count();
                if (llmItems > 0) served++;
                switch (g) {
                    case 0, 4 -> {
                        SemanticId proposed = g == 0 ? x : y;
                        if (items.get(0).getSource() == RecommendationSource.LLM) {
                            assertThat(items.get(0).getSid()).isEqualTo(proposed.toString());
                            assertThat(items.get(0).getItemId()).isEqualTo(itemOf.get(proposed));
                            assertThat(llmItems).isEqualTo(1);
                        } else {
                            // only an item the user already had is refused
                            assertThat(seen).contains(itemOf.get(proposed));
                            assertThat(llmItems).isZero();
                        }
                    }
                    default -> assertThat(llmItems).as("group %d falls back", g).isZero();
                }
            }
            for (int n : perGroup) assertThat(n).isPositive();
            assertThat(served).isGreaterThan((perGroup[0] + perGroup[4]) / 2);

            Map<String, Object> acc = result.getAllAccumulatorResults();
            // the server saw one call per answered request, and 1 + 2 retries for each 500 and each too-slow one
            int[] calls = new int[5];
            for (var req : server.requests()) {
                List<SemanticId> h = SidCodec.extractAll(req.at("/messages/0/content").asText());
                calls[group.get(itemOf.get(h.get(h.size() - 1)))]++;
            }
            // answered requests are not retried (prose included); the margin covers answers that a very busy
            // machine delivers after the 1 s timeout (those are retried, as they should be)
            for (int g : new int[] {0, 1, 4}) assertThat(calls[g]).isBetween(perGroup[g], perGroup[g] + perGroup[g] / 10);
            // Flink stops retrying at end of input: the (at most capacity = 32) requests then in flight may miss retries
            assertThat(calls[2]).isBetween(3 * perGroup[2] - 2 * 32, 3 * perGroup[2]);
            assertThat(calls[3]).isBetween(3 * perGroup[3] - 2 * 32, 3 * perGroup[3]);
            assertThat(acc.get(BatchingInferenceOperator.LLM_SERVED)).isEqualTo(served);
            assertThat(acc.get(BatchingInferenceOperator.LLM_FALLBACKS)).isEqualTo(events.size() - served);
            // one unknown SID per group-0 answer, one malformed fragment per group-4 answer
            assertThat(acc.get(BatchingInferenceOperator.LLM_INVALID_SIDS)).isEqualTo((long) perGroup[0] + perGroup[4]);
        }
    }

    /**
     * REQUEST events through the same stage: each kind is asked with its export prompt, and an answer
     * that breaks the request (off-platform items, the seed) never leads.
     */
    @Test
    void requestKindsAreAskedWithTheirExportPromptsAndAnswersBreakingThemAreDropped(@TempDir Path tmp) throws Exception {
        Dataset data = DatasetStore.read(TinyBundle.data());
        Map<String, String> platform = new HashMap<>();
        for (var it : data.items()) platform.put(it.itemId(), it.attributes().get("platform"));
        Map<String, SemanticId> sids = ModelBundle.open(TinyBundle.dir()).sids();
        List<String> pc = data.items().stream().filter(i -> "PC".equals(i.attributes().get("platform"))).map(i -> i.itemId()).toList();
        List<String> xbox = data.items().stream().filter(i -> "Xbox".equals(i.attributes().get("platform"))).map(i -> i.itemId()).toList();
        String seed = pc.get(0), offPlatform = pc.get(1), bought = xbox.get(0), wanted = xbox.get(1);
        SemanticId seedSid = sids.get(seed);
        String itemToItem = Prompts.itemToItemQuestion(seedSid);
        String text = Prompts.textToItemsQuestion("racing games");
        try (OpenAiTestServer server = new OpenAiTestServer(prompt -> {
            if (prompt.equals(itemToItem)) return Reply.ok(seedSid + " " + sids.get(offPlatform) + " " + sids.get(wanted));
            if (prompt.equals(text)) return Reply.ok(sids.get(offPlatform).toString());
            return Reply.ok(sids.get(offPlatform) + ", " + sids.get(wanted)); // next-item and attribute-steered alike
        })) {
            long t = 1_700_000_000_000L;
            Path events = tmp.resolve("events.jsonl");
            Files.write(events, List.of(
                    event("h1", "u1", bought, "PURCHASE", t, null, "{}"),
                    event("similar", "u1", null, "REQUEST", t + 1, null, "{\"seed\":\"" + seed + "\"}"),
                    event("steer", "u1", null, "REQUEST", t + 2, null, "{\"seed\":\"" + seed + "\",\"where.platform\":\"Xbox\"}"),
                    event("steer-next", "u1", null, "REQUEST", t + 3, null, "{\"where.platform\":\"Xbox\"}"),
                    event("text", "u2", null, "REQUEST", t + 4, "\"racing games\"", "{\"where.platform\":\"Xbox\"}"),
                    event("cold", "u3", null, "REQUEST", t + 5, null, "{\"where.platform\":\"Xbox\"}")));
            JobSpec spec = replaySpec(tmp, "replay-llm-requests-it", events, "generator: {backend: openai, url: '" + server.baseUrl()
                    + "', model: sid-sft, timeoutMs: 5000, retries: 0}");
            JobRunner.run(JobRunner.prepareLocal(spec, false));

            RecordCodec<Recommendation> codec = RecordCodec.of(Recommendation.class, WireFormat.JSON);
            Map<String, List<RecommendedItem>> recs = new HashMap<>();
            for (Path p : ReplayJob.outputFiles(tmp.resolve("recs"), ReplayJob.RECOMMENDATIONS_PREFIX)) {
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    Recommendation r = codec.decode(line.getBytes(StandardCharsets.UTF_8));
                    recs.put(r.getRequestKey(), r.getItems());
                }
            }
            assertThat(recs).containsOnlyKeys("h1", "similar", "steer", "steer-next", "text", "cold");
            List<String> prompts = server.requests().stream().map(r -> r.at("/messages/0/content").asText()).toList();
            assertThat(prompts).contains(itemToItem, text,
                    Prompts.attributeSteeredQuestion(List.of(sids.get(bought)), "platform", "Xbox"));
            assertThat(prompts).hasSize(5); // the user without history asked nothing the LLM was taught: no call
            // item-to-item: the seed is dropped, the rest of the answer leads in order
            assertThat(recs.get("similar")).extracting(RecommendedItem::getItemId).startsWith(offPlatform, wanted).doesNotContain(seed);
            assertThat(recs.get("similar").subList(0, 2)).allSatisfy(i -> assertThat(i.getSource()).isEqualTo(RecommendationSource.LLM));
            // steered: the off-platform proposal never leads; every item is an Xbox item the user has not bought
            for (String key : List.of("steer", "steer-next")) {
                List<RecommendedItem> items = recs.get(key);
                assertThat(items).as(key).isNotEmpty().allSatisfy(i -> assertThat(platform.get(i.getItemId())).isEqualTo("Xbox"));
                assertThat(items.get(0).getItemId()).isEqualTo(wanted);
                assertThat(items.get(0).getSource()).isEqualTo(RecommendationSource.LLM);
                assertThat(items).extracting(RecommendedItem::getItemId).doesNotContain(seed, bought);
            }
            // text with a constraint: the only proposal breaks it, so the built-in retrieval answers alone
            assertThat(recs.get("text")).isNotEmpty().allSatisfy(i -> {
                assertThat(platform.get(i.getItemId())).isEqualTo("Xbox");
                assertThat(i.getSource()).isNotEqualTo(RecommendationSource.LLM);
            });
            assertThat(recs.get("cold")).isNotEmpty().allSatisfy(i -> assertThat(i.getSource()).isNotEqualTo(RecommendationSource.LLM));
        }
    }

    private static String event(String id, String user, String item, String type, long time, String query, String attrs) {
        return "{\"event_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"item_id\":" + (item == null ? "null" : "\"" + item + "\"")
                + ",\"event_type\":\"" + type + "\",\"event_time\":" + time + ",\"query\":" + query + ",\"attributes\":" + attrs + "}";
    }

    /** A replay job over {@code input} with the tiny bundle, writing under {@code tmp}, its generator section given. */
    private static JobSpec replaySpec(Path tmp, String name, Path input, String generator) throws Exception {
        Path specFile = tmp.resolve(name + ".yaml");
        Files.writeString(specFile, String.join("\n",
                "name: " + name,
                "mode: replay",
                "bundle: " + TinyBundle.dir(),
                "device: cpu",
                "replay: {input: " + input + ", output: " + tmp.resolve("recs") + ", deadLetters: " + tmp.resolve("dlq")
                        + ", evaluate: false}",
                "history: {length: 10, dedupWindow: 16, ttl: 3650d}",
                "batching: {maxBatchSize: 16, maxDelay: 20ms}",
                "watermarks: {maxOutOfOrderness: 0s, idleTimeout: 0s}",
                "checkpoints: {interval: 1s, dir: " + tmp.resolve("checkpoints") + ", incremental: true}",
                "web: {port: 0}",
                generator));
        return JobSpec.load(specFile);
    }
}
