package dev.sidflow.instruct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sidflow.data.Item;
import dev.sidflow.data.LeaveOneOut;
import dev.sidflow.embed.ProgressListener;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class InstructionExporterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * 40 shared items (brands, categories, descriptions on some) and 30 users whose last two items
     * (validation, test) are items only that user ever touches: any leak shows up as their SID.
     */
    static final class Fixture {
        final Map<String, Item> catalog = new LinkedHashMap<>();
        final Map<String, SemanticId> sids = new LinkedHashMap<>();
        final Map<String, List<String>> sequences = new LinkedHashMap<>();
        final Set<String> validationItems = new HashSet<>();
        final Set<String> testItems = new HashSet<>();

        Fixture() {
            for (int i = 0; i < 40; i++) {
                String id = "i" + i;
                catalog.put(id, new Item(id, "Game " + i, i % 3 == 0 ? "A description of game " + i : null,
                        i % 2 == 0 ? "Nintendo" : "Sega", List.of("Video Games", i % 4 < 2 ? "Switch" : "Xbox"),
                        i % 5 == 0 ? Map.of("platform", "Switch", "asin", "B00" + i) : Map.of()));
                sids.put(id, new SemanticId(i % 4, i % 8, i, 0));
            }
            for (int u = 0; u < 30; u++) {
                List<String> seq = new ArrayList<>();
                int len = 3 + u % 6;
                for (int k = 0; k < len; k++) seq.add("i" + ((u * 7 + k * 3) % 40));
                String v = "val" + u, t = "test" + u;
                for (String id : List.of(v, t)) {
                    catalog.put(id, new Item(id, "Held out " + id, "desc", "Nintendo", List.of("Video Games", "Switch"), Map.of()));
                    sids.put(id, new SemanticId(200 + u % 50, 100, u, id.startsWith("val") ? 0 : 1));
                }
                validationItems.add(v);
                testItems.add(t);
                seq.add(v);
                seq.add(t);
                sequences.put("u" + u, seq);
            }
        }

        Set<String> sidTexts(Set<String> ids) {
            Set<String> out = new HashSet<>();
            for (String id : ids) out.add(sids.get(id).toString());
            return out;
        }
    }

    private static InstructionExporter.Options options(InstructionExporter.Split split, long seed) {
        return new InstructionExporter.Options(EnumSet.allOf(InstructionTask.class), split, 20, 6, 0, 0, 5, seed);
    }

    private static List<InstructionRecord> export(Fixture f, InstructionExporter.Options o) {
        List<InstructionRecord> out = new ArrayList<>();
        new InstructionExporter(f.catalog, f.sids, o).export(f.sequences, out::add, ProgressListener.NONE);
        return out;
    }

    private Path write(Fixture f, InstructionFormat format, String file, long seed) throws Exception {
        Path out = dir.resolve(file);
        try (InstructionWriter w = new InstructionWriter(out, format, "You are a recommender.")) {
            new InstructionExporter(f.catalog, f.sids, options(InstructionExporter.Split.TRAIN, seed))
                    .export(f.sequences, w, ProgressListener.NONE);
        }
        return out;
    }

    @Test
    void alpacaRecordsParseWithTheRightFieldsAndSidsRoundTrip() throws Exception {
        Fixture f = new Fixture();
        JsonNode array = JSON.readTree(write(f, InstructionFormat.ALPACA, "a.json", 1).toFile());
        assertThat(array.isArray()).isTrue();
        assertThat(array.size()).isGreaterThan(100);
        Set<SemanticId> catalogSids = new HashSet<>(f.sids.values());
        for (JsonNode r : array) {
            Set<String> fields = new HashSet<>();
            r.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactlyInAnyOrder("instruction", "input", "output", "system");
            assertThat(r.get("instruction").asText()).isNotBlank();
            assertThat(r.get("output").asText()).isNotBlank();
            assertThat(r.get("system").asText()).isEqualTo("You are a recommender.");
            for (String text : List.of(r.get("input").asText(), r.get("output").asText())) {
                // every SID written is well formed, a catalog SID, and re-encodes to the exact same text
                assertThat(SidCodec.scan(text).malformed()).isEmpty();
                for (var m : SidCodec.findAll(text)) {
                    assertThat(catalogSids).contains(m.sid());
                    assertThat(SidCodec.encode(SidCodec.parse(m.text()))).isEqualTo(m.text());
                }
            }
            if (r.get("instruction").asText().equals(Prompts.NEXT_ITEM)) {
                assertThat(catalogSids).contains(SidCodec.parse(r.get("output").asText()));
            }
        }
    }

    @Test
    void sharegptRecordsAreHumanGptConversations() throws Exception {
        Fixture f = new Fixture();
        write(f, InstructionFormat.SHAREGPT, "s.jsonl", 1);
        List<String> lines = Files.readAllLines(dir.resolve("s.jsonl"));
        assertThat(lines).hasSizeGreaterThan(100);
        for (String line : lines) {
            JsonNode r = JSON.readTree(line);
            JsonNode turns = r.get("conversations");
            assertThat(turns.size()).isEqualTo(2);
            assertThat(turns.get(0).get("from").asText()).isEqualTo("human");
            assertThat(turns.get(1).get("from").asText()).isEqualTo("gpt");
            assertThat(turns.get(0).get("value").asText()).isNotBlank();
            assertThat(turns.get(1).get("value").asText()).isNotBlank();
            assertThat(r.get("system").asText()).isEqualTo("You are a recommender.");
        }
        JsonNode info = InstructionFormat.SHAREGPT.datasetInfo("s.jsonl", true);
        assertThat(info.get("formatting").asText()).isEqualTo("sharegpt");
        assertThat(info.at("/columns/messages").asText()).isEqualTo("conversations");
        assertThat(info.at("/tags/user_tag").asText()).isEqualTo("human");
        assertThat(info.at("/tags/assistant_tag").asText()).isEqualTo("gpt");
        assertThat(InstructionFormat.ALPACA.datasetInfo("a.json", false).at("/columns/query").asText()).isEqualTo("input");
    }

    @Test
    void noValidationOrTestItemLeaksIntoSequenceTasks() {
        Fixture f = new Fixture();
        Set<String> validation = f.sidTexts(f.validationItems), test = f.sidTexts(f.testItems);
        List<InstructionRecord> train = export(f, options(InstructionExporter.Split.TRAIN, 3));
        List<InstructionRecord> valid = export(f, options(InstructionExporter.Split.VALIDATION, 3));
        for (InstructionRecord r : train) {
            if (!r.task().fromSequences()) continue;
            for (var m : SidCodec.findAll(r.input() + r.output())) {
                assertThat(validation).doesNotContain(m.text());
                assertThat(test).doesNotContain(m.text());
            }
        }
        long validationSeen = 0;
        for (InstructionRecord r : valid) {
            if (!r.task().fromSequences()) continue;
            for (var m : SidCodec.findAll(r.input() + r.output())) {
                assertThat(test).doesNotContain(m.text());
                if (validation.contains(m.text())) validationSeen++;
            }
        }
        // the validation split really does add the validation items (so the check above can fail)
        assertThat(validationSeen).isGreaterThan(0);
        // catalog tasks still cover every item: alignment is item metadata, not interactions
        assertThat(train.stream().filter(r -> r.task() == InstructionTask.TITLE_TO_SID)).hasSize(f.catalog.size());
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherSample() throws Exception {
        Fixture f = new Fixture();
        byte[] a = Files.readAllBytes(write(f, InstructionFormat.ALPACA, "a.json", 7));
        byte[] b = Files.readAllBytes(write(f, InstructionFormat.ALPACA, "b.json", 7));
        byte[] c = Files.readAllBytes(write(f, InstructionFormat.ALPACA, "c.json", 8));
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void topKRanksTheTrueNextItemFirstAmongShuffledCandidates() {
        Fixture f = new Fixture();
        List<InstructionRecord> records = export(f, options(InstructionExporter.Split.TRAIN, 5));
        List<InstructionRecord> next = records.stream().filter(r -> r.task() == InstructionTask.NEXT_ITEM).toList();
        List<InstructionRecord> topK = records.stream().filter(r -> r.task() == InstructionTask.TOP_K).toList();
        assertThat(topK).hasSameSizeAs(next);
        int trueFirstInInput = 0;
        for (int i = 0; i < topK.size(); i++) {
            InstructionRecord r = topK.get(i);
            String[] parts = r.input().split("\nCandidates: ");
            List<SemanticId> candidates = SidCodec.extractAll(parts[1]);
            List<SemanticId> ranked = SidCodec.extractAll(r.output());
            SemanticId truth = SidCodec.parse(next.get(i).output());
            assertThat(candidates).hasSize(6).doesNotHaveDuplicates().contains(truth);
            assertThat(ranked).containsExactlyInAnyOrderElementsOf(candidates);
            assertThat(ranked.get(0)).isEqualTo(truth);
            // the history part is the next-item record's history
            assertThat(parts[0]).isEqualTo("History: " + next.get(i).input());
            if (candidates.get(0).equals(truth)) trueFirstInInput++;
        }
        // shuffled: the true item is not always shown first
        assertThat(trueFirstInInput).isLessThan(topK.size() / 2);
    }

    @Test
    void attributeAndExplanationRecordsStateOnlyFactsFromTheData() {
        Fixture f = new Fixture();
        List<InstructionRecord> records = export(f, options(InstructionExporter.Split.TRAIN, 5));
        List<InstructionRecord> steered = records.stream().filter(r -> r.task() == InstructionTask.ATTRIBUTE_STEERED).toList();
        assertThat(steered).isNotEmpty();
        Map<String, String> itemBySid = new HashMap<>();
        f.sids.forEach((id, sid) -> itemBySid.put(sid.toString(), id));
        for (InstructionRecord r : steered) {
            Item target = f.catalog.get(itemBySid.get(r.output()));
            // the attribute named in the instruction is the target's own
            assertThat(r.instruction()).satisfiesAnyOf(
                    s -> assertThat(s).contains("brand is \"" + target.brand() + "\""),
                    s -> assertThat(s).contains("category is \"" + target.categories().get(target.categories().size() - 1) + "\""),
                    s -> assertThat(s).contains("platform is \"" + target.attributes().get("platform") + "\""));
            assertThat(r.instruction()).doesNotContain("asin");
        }
        List<InstructionRecord> explanations = records.stream().filter(r -> r.task() == InstructionTask.EXPLANATION).toList();
        assertThat(explanations).isNotEmpty();
        for (InstructionRecord r : explanations) {
            List<SemanticId> history = SidCodec.extractAll(r.input().split("\nRecommended: ")[0]);
            SemanticId target = SidCodec.extractAll(r.input().split("\nRecommended: ")[1]).get(0);
            Item item = f.catalog.get(itemBySid.get(target.toString()));
            assertThat(r.input()).contains("\"" + item.title() + "\"");
            // every item an explanation names is in the history, and each claimed fact holds for it
            for (String sentence : r.output().split("(?<=\\.) ")) {
                List<SemanticId> named = SidCodec.extractAll(sentence);
                assertThat(named).hasSize(1);
                assertThat(history).contains(named.get(0));
                Item h = f.catalog.get(itemBySid.get(named.get(0).toString()));
                if (sentence.contains("same brand")) assertThat(h.brand()).isEqualTo(item.brand());
                if (sentence.contains("semantic-ID")) {
                    int levels = sentence.contains("same semantic-ID group") ? 3
                            : Integer.parseInt(sentence.replaceAll(".*shares the first (\\d) of 3.*", "$1"));
                    assertThat(target.sharedLevels(named.get(0))).isEqualTo(levels);
                }
                if (sentence.contains("in the category")) {
                    String cat = sentence.replaceAll(".*in the category \"([^\"]+)\".*", "$1");
                    assertThat(item.categories()).contains(cat);
                    assertThat(h.categories()).contains(cat);
                }
            }
        }
    }

    @Test
    void textToItemsAnswersARequestInWordsWithTheMatchingTrainingItemsMostPopularFirst() {
        Fixture f = new Fixture();
        List<InstructionRecord> records = export(f, options(InstructionExporter.Split.TRAIN, 5)).stream()
                .filter(r -> r.task() == InstructionTask.TEXT_TO_ITEMS).toList();
        Map<String, Long> popularity = new HashMap<>();
        for (LeaveOneOut.UserSplit s : LeaveOneOut.split(f.sequences)) for (String id : s.train()) popularity.merge(id, 1L, Long::sum);
        Map<String, String> itemBySid = new HashMap<>();
        f.sids.forEach((id, sid) -> itemBySid.put(sid.toString(), id));

        Set<String> requests = new HashSet<>();
        for (InstructionRecord r : records) {
            assertThat(r.instruction()).isEqualTo(Prompts.TEXT_TO_ITEMS);
            assertThat(requests.add(r.input())).as("each request once").isTrue();
            Item wanted = requested(r.input());
            // exactly the 5 most popular training items with every named fact, most popular first
            List<String> expected = popularity.keySet().stream()
                    .filter(id -> has(f.catalog.get(id), wanted))
                    .sorted(java.util.Comparator.<String>comparingLong(popularity::get).reversed().thenComparing(id -> id))
                    .limit(5).toList();
            List<String> answered = SidCodec.extractAll(r.output()).stream().map(s -> itemBySid.get(s.toString())).toList();
            assertThat(answered).as(r.input()).isNotEmpty().containsExactlyElementsOf(expected);
        }
        // one fact, or a category with another fact; identifiers are no facts, a fact repeating the category adds nothing
        assertThat(requests).contains("I'm looking for items in the category \"Xbox\".",
                "I'm looking for items by the brand \"Sega\".",
                "I'm looking for items whose platform is \"Switch\".",
                "I'm looking for items in the category \"Switch\" and by the brand \"Nintendo\".",
                "I'm looking for items in the category \"Xbox\" and whose platform is \"Switch\".")
                .doesNotContain("I'm looking for items in the category \"Switch\" and whose platform is \"Switch\".")
                .noneMatch(t -> t.contains("asin"));
    }

    /** The facts a text-to-items request names, as an item holding just them. */
    private static Item requested(String text) {
        java.util.regex.Matcher category = java.util.regex.Pattern.compile("in the category \"([^\"]+)\"").matcher(text);
        java.util.regex.Matcher brand = java.util.regex.Pattern.compile("by the brand \"([^\"]+)\"").matcher(text);
        java.util.regex.Matcher attribute = java.util.regex.Pattern.compile("whose (\\w+) is \"([^\"]+)\"").matcher(text);
        Map<String, String> attributes = new HashMap<>();
        while (attribute.find()) attributes.put(attribute.group(1), attribute.group(2));
        return new Item("request", text, null, brand.find() ? brand.group(1) : null,
                category.find() ? List.of(category.group(1)) : List.of(), attributes);
    }

    private static boolean has(Item item, Item wanted) {
        return (wanted.brand() == null || wanted.brand().equals(item.brand()))
                && item.categories().containsAll(wanted.categories())
                && wanted.attributes().entrySet().stream().allMatch(e -> e.getValue().equals(item.attributes().get(e.getKey())));
    }

    @Test
    void itemToItemListsTheItemsTakenRightAfterMostOftenFirstFromTrainingTransitionsOnly() {
        // training parts (last two items of each user held out): a->b three times, a->c twice, b->c/d/e once each,
        // c->b once, d->a once; e is last in its training part, and a->z1 / c->x1 ... happen in held-out parts only
        Map<String, List<String>> sequences = new LinkedHashMap<>();
        sequences.put("u1", List.of("a", "b", "c", "x1", "y1"));
        sequences.put("u2", List.of("a", "b", "d", "x2", "y2"));
        sequences.put("u3", List.of("a", "c", "b", "x3", "y3"));
        sequences.put("u4", List.of("a", "b", "e", "x4", "y4"));
        sequences.put("u5", List.of("d", "a", "c", "x5", "y5"));
        sequences.put("u6", List.of("a", "z1", "z2"));
        Map<String, Item> catalog = new LinkedHashMap<>();
        Map<String, SemanticId> sids = new LinkedHashMap<>();
        int n = 0;
        for (List<String> seq : sequences.values()) {
            for (String id : seq) {
                if (catalog.containsKey(id)) continue;
                catalog.put(id, Item.of(id, "Item " + id));
                sids.put(id, new SemanticId(n % 7, n, n + 1, 0));
                n++;
            }
        }
        var o = new InstructionExporter.Options(EnumSet.of(InstructionTask.ITEM_TO_ITEM), InstructionExporter.Split.TRAIN,
                20, 5, 0, 0, 5, 1);
        Map<String, List<String>> lists = itemToItem(new InstructionExporter(catalog, sids, o), sequences, sids);
        assertThat(lists).containsOnly(
                Map.entry("a", List.of("b", "c")),
                Map.entry("b", List.of("c", "d", "e")),
                Map.entry("c", List.of("b")),
                Map.entry("d", List.of("a")));
        // the check can fail: with the validation items in, a->z1 and e->x4 become training transitions
        var withValidation = new InstructionExporter.Options(EnumSet.of(InstructionTask.ITEM_TO_ITEM),
                InstructionExporter.Split.VALIDATION, 20, 5, 0, 0, 5, 1);
        Map<String, List<String>> leaky = itemToItem(new InstructionExporter(catalog, sids, withValidation), sequences, sids);
        assertThat(leaky.get("a")).containsExactly("b", "c", "z1");
        assertThat(leaky.get("e")).containsExactly("x4");
    }

    /** The item-to-item records as seed -> answer (item ids), checking each prompt is the one the LLM backend asks. */
    private static Map<String, List<String>> itemToItem(InstructionExporter exporter, Map<String, List<String>> sequences,
                                                        Map<String, SemanticId> sids) {
        Map<String, String> itemBySid = new HashMap<>();
        sids.forEach((id, sid) -> itemBySid.put(sid.toString(), id));
        Map<String, List<String>> out = new HashMap<>();
        exporter.export(sequences, r -> {
            SemanticId seed = SidCodec.parse(r.input());
            assertThat(r.userMessage()).isEqualTo(Prompts.itemToItemQuestion(seed));
            out.put(itemBySid.get(seed.toString()), SidCodec.extractAll(r.output()).stream().map(s -> itemBySid.get(s.toString())).toList());
        }, ProgressListener.NONE);
        return out;
    }

    @Test
    void capsAndTargetSamplingLimitTheRecords() {
        Fixture f = new Fixture();
        var o = new InstructionExporter.Options(EnumSet.of(InstructionTask.NEXT_ITEM, InstructionTask.SID_TO_TITLE),
                InstructionExporter.Split.TRAIN, 2, 5, 1, 7, 5, 1);
        List<InstructionRecord> out = new ArrayList<>();
        var summary = new InstructionExporter(f.catalog, f.sids, o).export(f.sequences, out::add, ProgressListener.NONE);
        assertThat(summary.counts()).containsOnlyKeys(InstructionTask.NEXT_ITEM, InstructionTask.SID_TO_TITLE);
        assertThat(summary.counts().get(InstructionTask.NEXT_ITEM)).isEqualTo(7);
        assertThat(summary.total()).isEqualTo(out.size()).isEqualTo(14);
        assertThat(summary.heldOut()).isEqualTo(60);
        // at most 2 history items per prompt
        out.stream().filter(r -> r.task() == InstructionTask.NEXT_ITEM)
                .forEach(r -> assertThat(SidCodec.extractAll(r.input()).size()).isBetween(1, 2));
    }

    @Test
    void tokenFilesListEverySidToken() throws Exception {
        Path list = dir.resolve("t.txt"), yaml = dir.resolve("t.yaml");
        SidTokens.writeList(list);
        SidTokens.writeDescribed(yaml);
        List<String> tokens = Files.readAllLines(list);
        assertThat(tokens).hasSize(1027).doesNotHaveDuplicates()
                .contains("<|sid_start|>", "<|sid_end|>", "<|rec|>", "<|sid_0|>", "<|sid_1023|>");
        // every token of an arbitrary SID is in the list
        SemanticId sid = new SemanticId(255, 0, 17, 3);
        String text = sid.toString();
        for (String t : text.split("(?<=\\|>)")) assertThat(tokens).contains(t);
        var parsed = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(yaml.toFile());
        assertThat(parsed.size()).isEqualTo(1027);
        assertThat(parsed.get("<|sid_300|>").asText()).isEqualTo("semantic ID level 2, code 44");
    }
}
