package dev.sidflow.cli;

import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendedItem;
import dev.sidflow.serve.BadRequest;
import dev.sidflow.serve.BundleServiceFactory;
import dev.sidflow.serve.CatalogRecommendationService;
import dev.sidflow.serve.Query;
import dev.sidflow.serve.RecommendRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sidflow ask}: the request kinds of the stream job, answered interactively from a bundle. */
@Command(name = "ask", mixinStandardHelpOptions = true,
        description = {"Ask a bundle for recommendations in words, with SIDs or titles; prints titled answers and their reasons.",
                "Titles (\"quoted\" for an exact or fuzzy lookup) and SIDs in the text name items; the first is the seed",
                "(item-to-item). Attribute values (Xbox, Racing, a brand) steer the answer to matching items. Other text",
                "is a free-text request. Without TEXT, a prompt reads one request per line; follow-ups keep the previous",
                "turn's seed and constraints (\"now for Xbox\"); :reset starts over, :quit ends."})
public final class AskCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "The request, e.g. 'Xbox games similar to \"Star Raiders 2 - PC\"'.")
    List<String> words = new ArrayList<>();

    @Option(names = "--bundle", required = true, paramLabel = "DIR", description = "Model bundle.")
    Path bundle;

    @Option(names = "--user", defaultValue = "ask", description = "User id the request is made for (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--history", split = ",", paramLabel = "ITEM",
            description = "The user's recent items, oldest first: item ids, SIDs or titles (comma-separated or repeated).")
    List<String> history = new ArrayList<>();

    @Option(names = "--where", paramLabel = "KEY=VALUE", description = "An attribute constraint, e.g. --where platform=Xbox (repeatable).")
    Map<String, String> where = new LinkedHashMap<>();

    @Option(names = "--top", defaultValue = "10", description = "Items per answer (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or auto (default: ${DEFAULT-VALUE}).")
    String device;

    /** Where the prompt reads its lines; null: standard input. */
    private final Reader input;

    public AskCommand() {
        this(null);
    }

    /** A command whose prompt reads {@code input} instead of standard input (tests, scripts). */
    AskCommand(Reader input) {
        this.input = input;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (CatalogRecommendationService service = new BundleServiceFactory(bundle, device, top,
                Integer.getInteger("sidflow.torch.threads", 1)).openCatalogService()) {
            AskParser parser = new AskParser(service.catalog(), service.attributes());
            List<String> notes = new ArrayList<>();
            List<String> historyIds = new ArrayList<>();
            for (String h : history) historyIds.add(parser.item(h, notes));
            for (String n : notes) out.println("  " + n);
            if (!words.isEmpty()) {
                Turn t = ask(service, parser, String.join(" ", words), historyIds, null, out);
                return t == null ? 2 : 0;
            }
            repl(service, parser, historyIds, out);
            return 0;
        }
    }

    private record Turn(Query query) {}

    private void repl(CatalogRecommendationService service, AskParser parser, List<String> historyIds, PrintWriter out) throws Exception {
        BufferedReader in = new BufferedReader(input != null ? input : new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("Ask for recommendations (:reset starts over, :quit ends).");
        Query previous = null;
        while (true) {
            out.print("ask> ");
            out.flush();
            String line = in.readLine();
            if (line == null || line.strip().equals(":quit") || line.strip().equals(":q")) break;
            if (line.isBlank()) continue;
            if (line.strip().equals(":reset")) {
                previous = null;
                out.println("  (new session)");
                continue;
            }
            Turn t = ask(service, parser, line, historyIds, previous, out);
            if (t != null) previous = t.query();
        }
    }

    /** One turn: parse, check, answer, print. Returns null (after printing why) when the request is refused. */
    private Turn ask(CatalogRecommendationService service, AskParser parser, String text, List<String> historyIds,
                     Query previous, PrintWriter out) {
        Query query;
        try {
            AskParser.Parsed parsed = parser.parse(text, where);
            for (String n : parsed.notes()) out.println("  " + n);
            query = parsed.query().followUp(previous);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return null;
        }
        long now = System.currentTimeMillis();
        RecommendRequest request = new RecommendRequest("ask-" + now, user, historyIds, now, now, query);
        try {
            request = service.validate(request);
        } catch (BadRequest e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return null;
        }
        long t0 = System.nanoTime();
        Recommendation rec = service.recommend(List.of(request)).get(0);
        double ms = (System.nanoTime() - t0) / 1e6;
        out.printf(Locale.ROOT, "%s%s  (%d items, %.0f ms)%n", query.kind().name().toLowerCase(Locale.ROOT), describe(request.query(), service),
                rec.getItems().size(), ms);
        for (RecommendedItem i : rec.getItems()) {
            out.printf(Locale.ROOT, "%3d. %s  [%s]  %s  %.3f %s%n", i.getRank(), i.getTitle(), i.getItemId(), i.getSid(),
                    i.getScore(), i.getSource());
            if (i.getReason() != null) out.println("     why: " + i.getReason());
        }
        out.flush();
        return new Turn(query);
    }

    private static String describe(Query q, CatalogRecommendationService service) {
        StringBuilder sb = new StringBuilder();
        if (q.seedItem() != null) sb.append(" like '").append(service.catalog().titleOrId(q.seedItem())).append('\'');
        if (q.hasText()) sb.append(" \"").append(q.text()).append('"');
        q.activeWhere().forEach((k, v) -> sb.append(", ").append(k).append('=').append(v));
        return sb.toString();
    }
}
