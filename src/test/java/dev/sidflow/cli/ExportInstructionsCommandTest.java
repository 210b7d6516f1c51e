package dev.sidflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.Interaction;
import dev.sidflow.data.LeaveOneOut;
import dev.sidflow.instruct.Prompts;
import dev.sidflow.model.ModelBundle;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The export command on a real trained bundle and its data set. */
class ExportInstructionsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void exportsSharegptWithDatasetInfoAndTokensFromTrainingPartOnly() throws Exception {
        Path out = dir.resolve("lf/sidflow_tiny.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out.getParent().resolve("dataset_info.json"), "{\"alpaca_en\": {\"file_name\": \"alpaca_en.json\"}}");
        DataCommandTest.Result r = DataCommandTest.run("export", "instructions", "--bundle", TinyBundle.dir().toString(),
                "--data", TinyBundle.data().toString(), "--format", "sharegpt", "--tasks", "next-item,top-k,sid-to-title",
                "--targets-per-user", "2", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("next-item\\s+[\\d,]+\\n").contains("wrote").contains("1027 SID tokens");

        JsonNode records = JSON.readTree(out.toFile());
        Map<String, SemanticId> sids = ModelBundle.open(TinyBundle.dir()).sids();
        Set<SemanticId> valid = new HashSet<>(sids.values());
        // test items of users whose test item never occurs in anyone's training part cannot appear as a target
        var dataset = DatasetStore.read(TinyBundle.data());
        Set<String> trainItems = new HashSet<>();
        Set<String> heldOut = new HashSet<>();
        for (LeaveOneOut.UserSplit s : LeaveOneOut.split(dataset)) {
            trainItems.addAll(s.train());
            if (s.evaluable()) {
                heldOut.add(s.test());
                heldOut.add(s.validation());
            }
        }
        heldOut.removeAll(trainItems);
        Set<SemanticId> heldOutSids = new HashSet<>();
        heldOut.forEach(id -> heldOutSids.add(sids.get(id)));

        int next = 0, titles = 0;
        for (JsonNode rec : records) {
            String human = rec.at("/conversations/0/value").asText();
            String gpt = rec.at("/conversations/1/value").asText();
            assertThat(rec.at("/conversations/0/from").asText()).isEqualTo("human");
            for (SemanticId s : SidCodec.extractAll(human + gpt)) assertThat(valid).contains(s);
            if (human.startsWith("What is the title")) {
                titles++;
                continue;
            }
            next++;
            for (SemanticId s : SidCodec.extractAll(human + gpt)) assertThat(heldOutSids).doesNotContain(s);
        }
        assertThat(titles).isEqualTo(TinyBundle.ITEMS);
        assertThat(next).isPositive();

        JsonNode info = JSON.readTree(out.getParent().resolve("dataset_info.json").toFile());
        assertThat(info.has("alpaca_en")).isTrue(); // existing entries are kept
        assertThat(info.at("/sidflow_tiny/file_name").asText()).isEqualTo("sidflow_tiny.json");
        assertThat(info.at("/sidflow_tiny/formatting").asText()).isEqualTo("sharegpt");
        assertThat(Files.readAllLines(out.getParent().resolve("sidflow_tiny.tokens.txt"))).hasSize(1027);
        assertThat(out.getParent().resolve("sidflow_tiny.tokens.yaml")).exists();
    }

    @Test
    void exportsFromAReplayedTopicLogWithRequestsSkippedAndTheBundlesItemFacts() throws Exception {
        var dataset = DatasetStore.read(TinyBundle.data());
        List<String> lines = new ArrayList<>();
        int n = 0;
        for (Interaction in : dataset.interactions()) {
            if (n++ >= 600) break;
            lines.add(JSON.writeValueAsString(Map.of("user_id", in.userId(), "item_id", in.itemId(),
                    "event_time", in.timestamp(), "event_type", "VIEW")));
        }
        lines.add(JSON.writeValueAsString(Map.of("user_id", "u-x", "item_id", "not-in-bundle", "event_time", 1, "event_type", "VIEW")));
        // requests as the events topic holds them (docs/wire-format.md), and an event without an item
        String seed = dataset.interactions().get(0).itemId();
        lines.add("{\"event_id\":\"r-1\",\"user_id\":\"u1\",\"item_id\":null,\"event_type\":\"REQUEST\",\"event_time\":1700000000000,"
                + "\"query\":null,\"attributes\":{\"seed\":\"" + seed + "\",\"where.platform\":\"Xbox\",\"session\":\"s1\"}}");
        lines.add("{\"event_id\":\"r-2\",\"user_id\":\"u2\",\"event_type\":\"REQUEST\",\"event_time\":1700000000001,"
                + "\"query\":\"racing games\",\"attributes\":{}}");
        lines.add("{\"event_id\":\"e-3\",\"user_id\":\"u3\",\"item_id\":null,\"event_type\":\"VIEW\",\"event_time\":1700000000002}");
        Path log = dir.resolve("events.jsonl");
        Files.write(log, lines);
        Path out = dir.resolve("replay.jsonl");
        DataCommandTest.Result r = DataCommandTest.run("export", "instructions", "--bundle", TinyBundle.dir().toString(),
                "--replay-log", log.toString(), "--tasks", "next-item,attribute-steered,explanation,text-to-items",
                "--split", "all", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: --split all")
                .contains("skipped 2 REQUEST events and 1 events without an item");
        assertThat(r.out()).contains("1 interactions with items without a SID dropped");

        Map<String, List<JsonNode>> byInstruction = new java.util.HashMap<>();
        for (String line : Files.readAllLines(out)) {
            JsonNode rec = JSON.readTree(line);
            String instruction = rec.get("instruction").asText();
            String task = instruction.equals(Prompts.NEXT_ITEM) ? "next" : instruction.equals(Prompts.EXPLANATION) ? "why"
                    : instruction.equals(Prompts.TEXT_TO_ITEMS) ? "text" : instruction.contains("given that its") ? "steered" : instruction;
            byInstruction.computeIfAbsent(task, k -> new ArrayList<>()).add(rec);
        }
        assertThat(byInstruction).containsOnlyKeys("next", "steered", "why", "text");
        for (JsonNode rec : byInstruction.get("next")) SidCodec.parse(rec.get("output").asText());
        // the bundle's item facts reach the tasks that need them: platforms, genres, brands, categories
        assertThat(byInstruction.get("steered")).anySatisfy(rec -> assertThat(rec.get("instruction").asText()).contains("platform is \""));
        assertThat(byInstruction.get("why")).anySatisfy(rec -> assertThat(rec.get("output").asText()).contains("It has the same brand, "));
        assertThat(byInstruction.get("why")).anySatisfy(rec -> assertThat(rec.get("output").asText()).contains("It is in the category \""));
        assertThat(byInstruction.get("text")).anySatisfy(rec -> assertThat(rec.get("input").asText())
                .isEqualTo("I'm looking for items in the category \"Racing\" and whose platform is \"Xbox\"."));
    }

    @Test
    void badArgumentsGiveClearErrors() {
        DataCommandTest.Result both = DataCommandTest.run("export", "instructions", "--bundle", "x", "--data", "d",
                "--replay-log", "f", "--out", "o.json");
        assertThat(both.exit()).isNotZero();
        assertThat(both.err()).contains("mutually exclusive");
        DataCommandTest.Result task = DataCommandTest.run("export", "instructions", "--bundle", TinyBundle.dir().toString(),
                "--data", TinyBundle.data().toString(), "--tasks", "nope", "--out", dir.resolve("o.json").toString());
        assertThat(task.exit()).isNotZero();
        assertThat(task.err()).contains("unknown task \"nope\"");
    }
}
