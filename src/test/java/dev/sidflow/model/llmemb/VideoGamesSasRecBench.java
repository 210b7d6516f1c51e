package dev.sidflow.model.llmemb;

import dev.sidflow.data.LeaveOneOut;
import dev.sidflow.model.metrics.EvaluationOptions;
import dev.sidflow.model.metrics.EvaluationResult;
import dev.sidflow.model.metrics.Evaluator;
import dev.sidflow.model.metrics.LeaveOneOutCases;
import dev.sidflow.model.metrics.LongTail;
import dev.sidflow.eval.PopularityRecommender;
import dev.sidflow.eval.ResultsTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * By-hand benchmark (not a unit test): ID-SASRec on Amazon 2018 Video Games, leave-one-out, full
 * ranking over all items. Usage: java ... VideoGamesSasRecBench [dataDir] [maxSeconds] [device].
 * Reads the two TSV files with a minimal loader (the project's importer lives in dev.sidflow.data).
 */
public final class VideoGamesSasRecBench {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/amazon-video-games-2018");
        double maxSeconds = args.length > 1 ? Double.parseDouble(args[1]) : 1500;
        String device = args.length > 2 ? args[2] : "auto";
        if (!Files.isDirectory(dir)) {
            System.err.println("data directory " + dir + " not found");
            System.exit(2);
        }
        Map<String, Integer> index = new HashMap<>();
        try (var lines = Files.lines(dir.resolve("items.tsv"))) {
            lines.skip(1).forEach(l -> index.put(l.substring(0, l.indexOf('\t')), index.size()));
        }
        Map<String, List<String>> seqs = new LinkedHashMap<>();
        try (var lines = Files.lines(dir.resolve("sequences.tsv"))) {
            lines.skip(1).forEach(l -> {
                String[] f = l.split("\t");
                seqs.put(f[0], Arrays.asList(f[2].trim().split(" ")));
            });
        }
        int n = index.size();
        LeaveOneOutCases data = LeaveOneOutCases.of(LeaveOneOut.split(seqs), index);
        System.out.printf("items %d users %d test cases %d%n", n, seqs.size(), data.test().size());

        LongTail tail = LongTail.of(LongTail.popularity(n, data.trainSequences()), LongTail.DEFAULT_HEAD_FRACTION);
        Evaluator evaluator = new Evaluator(EvaluationOptions.defaults(), tail);
        ResultsTable table = new ResultsTable(1, 5, 10);
        table.add("Popularity", evaluator.evaluateScores(PopularityRecommender.fit(n, data.trainSequences()), data.test()), "");

        SasRecConfig cfg = new SasRecConfig(n, 50, 64, 1, 2, 0.3f);
        TrainConfig tc = TrainConfig.defaults().withDevice(device).withBatchSize(128).withLearningRate(2e-3f)
                .withPatience(3).withValidationSample(5000).withMaxTrainingSeconds(maxSeconds).withSeed(42);
        long t0 = System.nanoTime();
        try (SasRec model = SasRec.train(cfg, tc, data.trainSequences(), data.validation())) {
            double trainSec = (System.nanoTime() - t0) / 1e9;
            EvaluationResult r = evaluator.evaluateScores(model, data.test());
            EvaluationResult masked = new Evaluator(EvaluationOptions.defaults().withMaskHistory(true), tail).evaluateScores(model, data.test());
            TrainingSummary s = model.trainingSummary();
            String note = String.format("%d epochs (best %d, %s), %.0f s training, %.1f s/epoch, test eval %.0f s",
                    s.epochs(), s.bestEpoch(), s.stopReason(), trainSec, s.secondsPerEpoch(), r.seconds());
            table.add("SASRec (ID, ours)", r, note);
            table.add("SASRec (ID, ours), history masked", masked.overall(), "");
            System.out.println(table.toMarkdown());
            System.out.println("published SASRec on this set: HR@10 0.0940, NDCG@10 0.0481");
        }
    }
}
