package dev.sidflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sidflow.embed.ItemEmbeddings;
import dev.sidflow.embed.ProgressBar;
import dev.sidflow.quantize.QuantizationReport;
import dev.sidflow.quantize.RqKMeans;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sidflow quantize}: residual k-means codes for item embeddings. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Trains residual k-means codebooks on item embeddings and assigns each item its codes.",
                "Writes OUT/codebooks.bin, OUT/codes.tsv (item_id, one code per level), OUT/report.txt and OUT/report.json."})
public final class QuantizeCommand implements Callable<Integer> {

    @Option(names = "--embeddings", required = true, paramLabel = "FILE", description = "Item-embeddings file (from `sidflow embed`).")
    Path embeddings;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--levels", defaultValue = "3", description = "Residual levels (default: ${DEFAULT-VALUE}).")
    int levels;

    @Option(names = "--codes", defaultValue = "256", description = "Codebook size per level (default: ${DEFAULT-VALUE}).")
    int codes;

    @Option(names = "--iterations", defaultValue = "50", description = "Max Lloyd iterations per level (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--seed", defaultValue = "42", description = "k-means++ seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Assignment threads (default: all cores).")
    Integer threads;

    @Option(names = "--pca", defaultValue = "0", paramLabel = "DIMS", description = "Project onto this many principal components first; 0 = off (default).")
    int pca;

    @Option(names = "--whiten", description = "With --pca: scale components to unit variance.")
    boolean whiten;

    @Override
    public Integer call() throws Exception {
        ItemEmbeddings emb;
        try {
            emb = ItemEmbeddings.load(embeddings);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + embeddings);
        }
        RqKMeans.Config cfg = new RqKMeans.Config(levels, codes, iterations, 1e-4, seed,
                threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors()), pca, whiten);
        RqKMeans.Result r;
        try (ProgressBar bar = new ProgressBar("quantize", "steps")) {
            r = RqKMeans.train(emb.data(), emb.size(), emb.dim(), cfg, bar);
        }
        QuantizationReport report = QuantizationReport.of(r.codebooks(), emb.data(), emb.size(), r.codes());

        Files.createDirectories(out);
        r.codebooks().save(out.resolve("codebooks.bin"));
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve("codes.tsv"), StandardCharsets.UTF_8)) {
            w.write("item_id");
            for (int l = 1; l <= levels; l++) w.write("\tc" + l);
            w.newLine();
            for (int i = 0; i < emb.size(); i++) {
                w.write(emb.itemIds().get(i));
                for (int c : r.codes()[i]) w.write("\t" + c);
                w.newLine();
            }
        }
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "RQ-KMeans %d x %d on %d x %d embeddings (%s)%s, seed %d: %.1f s%n",
                levels, codes, emb.size(), emb.dim(), emb.encoderId(),
                pca > 0 ? String.format(Locale.ROOT, ", PCA %d%s (%.1f%% variance)", pca, whiten ? " whitened" : "",
                        100 * r.codebooks().pca().explainedVariance()) : "", seed, r.seconds()));
        for (RqKMeans.LevelFit f : r.levels()) {
            text.append(String.format(Locale.ROOT, "  level %d: %d iterations, %d empty-cluster repairs, %.1f s%n",
                    f.level(), f.iterations(), f.emptyRepairs(), f.seconds()));
        }
        text.append(report.toText());
        Files.writeString(out.resolve("report.txt"), text);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("config", cfg);
        json.put("seconds", r.seconds());
        json.put("levelFits", r.levels());
        json.put("report", report);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("report.json").toFile(), json);
        System.out.print(text);
        System.out.println("wrote " + out.resolve("codebooks.bin") + ", codes.tsv, report.txt, report.json");
        return 0;
    }
}
