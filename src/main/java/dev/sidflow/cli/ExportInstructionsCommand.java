package dev.sidflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetFormat;
import dev.sidflow.data.Item;
import dev.sidflow.embed.ProgressBar;
import dev.sidflow.instruct.InstructionExporter;
import dev.sidflow.instruct.InstructionFormat;
import dev.sidflow.instruct.InstructionTask;
import dev.sidflow.instruct.InstructionWriter;
import dev.sidflow.instruct.SidTokens;
import dev.sidflow.model.ModelBundle;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.stream.kafka.JsonlReader;
import dev.sidflow.stream.kafka.SourceEvent;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sidflow export instructions}: instruction-tuning data in LLaMA-Factory's formats, SIDs as tokens. */
@Command(name = "instructions", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes instruction-tuning records (alpaca or sharegpt JSON, as LLaMA-Factory reads them) with SIDs "
                + "in their exact token form, so an LLM can be fine-tuned to read and write SIDs.",
                "",
                "No test leakage by default: each user's sequence is split leave-one-out (last item = test, second last = "
                + "validation) exactly as `sidflow eval` does, and only the TRAINING part feeds the sequence tasks and the "
                + "statistics they use (--split validation adds the validation item; --split all leaks test items).",
                "",
                "Also writes, next to --out: dataset_info.json (the entry LLaMA-Factory needs, merged into an existing file), "
                + "NAME.tokens.txt (the SID special tokens, one per line) and NAME.tokens.yaml (LLaMA-Factory's "
                + "new_special_tokens_config form).",
                "",
                "Tasks: next-item, top-k, item-to-item, title-to-sid, sid-to-title, text-to-sid, text-to-items, attribute-steered, "
                + "explanation."})
public final class ExportInstructionsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bundle", required = true, paramLabel = "DIR", description = "Model bundle: the SIDs (and titles) to use.")
    Path bundle;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--data", paramLabel = "DIR", description = "A data set (any importable format; item metadata comes from it).")
        Path data;

        @Option(names = "--replay-log", paramLabel = "FILE",
                description = "A JSONL event log (user_id/userId, item_id/itemId, event_time/timestamp per line), e.g. the events "
                        + "topic dumped as JSON; REQUEST events and events without an item are skipped. Item metadata comes from the bundle.")
        Path replayLog;
    }

    @Option(names = "--format", defaultValue = "alpaca", description = "alpaca or sharegpt (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--tasks", defaultValue = "all", paramLabel = "LIST",
            description = "Comma-separated tasks, or all (default: ${DEFAULT-VALUE}).")
    String tasks;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file: *.json (JSON array) or *.jsonl.")
    Path out;

    @Option(names = "--split", defaultValue = "train",
            description = "Part of each user's sequence to use: train (default, no validation/test items), validation "
                    + "(adds the validation item, never the test item) or all (leaks test items).")
    String split;

    @Option(names = "--max-history", defaultValue = "20", description = "Most recent items per prompt (default: ${DEFAULT-VALUE}).")
    int maxHistory;

    @Option(names = "--candidates", defaultValue = "10", description = "Candidates per top-k record, the true next item included (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--targets-per-user", defaultValue = "0",
            description = "Sequence positions per user, a seeded sample; 0 = every position (default: ${DEFAULT-VALUE}).")
    int targetsPerUser;

    @Option(names = "--max-per-task", defaultValue = "0", description = "Records per task at most, 0 = no cap (default: ${DEFAULT-VALUE}).")
    int maxPerTask;

    @Option(names = "--related", defaultValue = "5", description = "Items per item-to-item answer (default: ${DEFAULT-VALUE}).")
    int related;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--system", paramLabel = "TEXT", description = "System prompt stored with every record (optional).")
    String system;

    @Option(names = "--name", paramLabel = "NAME", description = "Data set name in dataset_info.json (default: the --out file name without extension).")
    String name;

    @Override
    public Integer call() throws Exception {
        InstructionFormat fmt = InstructionFormat.fromName(format);
        InstructionExporter.Split part = switch (split.toLowerCase(Locale.ROOT)) {
            case "train" -> InstructionExporter.Split.TRAIN;
            case "validation" -> InstructionExporter.Split.VALIDATION;
            case "all" -> InstructionExporter.Split.ALL;
            default -> throw new IllegalArgumentException("--split must be train, validation or all, got \"" + split + "\"");
        };
        String fileName = out.getFileName().toString();
        if (!fileName.endsWith(".json") && !fileName.endsWith(".jsonl")) {
            throw new IllegalArgumentException("--out must end in .json or .jsonl: " + out);
        }
        String base = fileName.substring(0, fileName.lastIndexOf('.'));
        String datasetName = name == null ? base : name;
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();

        ModelBundle b = ModelBundle.open(bundle);
        Map<String, SemanticId> sids = b.sids();
        Map<String, Item> catalog;
        Map<String, List<String>> sequences;
        if (source.data != null) {
            Dataset ds = DatasetFormat.loadAuto(source.data);
            catalog = ds.itemsById();
            sequences = ds.sequences();
        } else {
            catalog = bundleCatalog(b);
            JsonlReader.InteractionLog log = JsonlReader.readInteractions(source.replayLog);
            if (log.requests() + log.itemless() > 0) {
                stderr.printf("%s: skipped %,d REQUEST events and %,d events without an item (not interactions)%n",
                        source.replayLog, log.requests(), log.itemless());
            }
            sequences = sequencesOf(log.events());
        }
        InstructionExporter.Options options = new InstructionExporter.Options(InstructionTask.parseList(tasks), part,
                maxHistory, candidates, targetsPerUser, maxPerTask, related, seed);
        if (part == InstructionExporter.Split.ALL) {
            stderr.println("warning: --split all puts every user's test item into the training data; "
                    + "do not evaluate a model trained on it with leave-one-out on this data");
        }

        InstructionExporter.Summary summary;
        try (InstructionWriter writer = new InstructionWriter(out, fmt, system);
             ProgressBar bar = new ProgressBar("export", "units")) {
            summary = new InstructionExporter(catalog, sids, options).export(sequences, writer, bar);
        }
        Path dir = out.toAbsolutePath().getParent();
        Path info = dir.resolve("dataset_info.json");
        writeDatasetInfo(info, datasetName, fmt.datasetInfo(fileName, system != null && !system.isBlank()));
        Path tokens = dir.resolve(base + ".tokens.txt");
        Path tokensYaml = dir.resolve(base + ".tokens.yaml");
        SidTokens.writeList(tokens);
        SidTokens.writeDescribed(tokensYaml);

        stdout.printf("%-18s %10s%n", "task", "records");
        summary.counts().forEach((task, n) -> stdout.printf("%-18s %,10d%n", task.cliName(), n));
        stdout.printf("%-18s %,10d%n", "total", summary.total());
        stdout.printf("%,d users, split %s: %,d validation/test interactions held out, %,d interactions with items "
                        + "without a SID dropped%n", summary.users(), part.name().toLowerCase(Locale.ROOT), summary.heldOut(),
                summary.unknownEvents());
        stdout.printf("wrote %s (%s), %s (entry \"%s\"), %s and %s (%d SID tokens)%n", out, fmt.cliName(), info, datasetName,
                tokens, tokensYaml, SidTokens.all().size());
        stdout.flush();
        return 0;
    }

    /**
     * The bundle's items with their brand, categories, attributes and text (items.jsonl), so the
     * attribute, text and explanation tasks have facts to use; a title alone for a bundle built
     * before items.jsonl existed.
     */
    static Map<String, Item> bundleCatalog(ModelBundle b) throws java.io.IOException {
        Map<String, Item> catalog = new LinkedHashMap<>();
        b.titles().forEach((id, title) -> catalog.put(id, Item.of(id, title)));
        for (Item item : b.items()) if (catalog.containsKey(item.itemId())) catalog.put(item.itemId(), item);
        return catalog;
    }

    /** Each user's items in event-time order (ties keep file order). */
    static Map<String, List<String>> sequencesOf(List<SourceEvent> events) {
        List<SourceEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(e -> e.interaction().timestamp()));
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (SourceEvent e : sorted) out.computeIfAbsent(e.interaction().userId(), u -> new ArrayList<>()).add(e.interaction().itemId());
        return out;
    }

    /** Adds (or replaces) our entry in dataset_info.json, keeping every other entry. */
    static void writeDatasetInfo(Path file, String name, ObjectNode entry) throws java.io.IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = Files.isRegularFile(file) && Files.size(file) > 0
                ? (ObjectNode) json.readTree(file.toFile()) : json.createObjectNode();
        root.set(name, entry);
        json.writeValue(file.toFile(), root);
    }
}
