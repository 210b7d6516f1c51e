package dev.sidflow.cli;

import dev.sidflow.bench.BenchReport;
import dev.sidflow.bench.InferenceBench;
import dev.sidflow.model.ModelBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sidflow bench inference}: FLOPs per recommendation, the CPU's matmul peak, the share reached. */
@Command(name = "inference", mixinStandardHelpOptions = true,
        description = {"Measure model inference against this CPU's matrix-multiply peak.",
                "Counts FLOPs per recommendation from the bundle's configs, measures PyTorch's fp32 matmul rate",
                "with 1 and 2 threads, times the generator, LLMEmb and the served hybrid at several batch sizes",
                "and reports the share of peak each reaches."})
public final class BenchInferenceCommand implements Callable<Integer> {
    @Option(names = "--bundle", paramLabel = "DIR", required = true, description = "Model bundle (e.g. a Video Games bundle).")
    Path bundle;

    @Option(names = "--batches", split = ",", defaultValue = "1,8,64,256", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--history", defaultValue = "20", description = "History length per user (default: ${DEFAULT-VALUE}, the job spec's).")
    int history;

    @Option(names = "--seconds", defaultValue = "2", description = "Minimum seconds per measured point (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--matmul-size", defaultValue = "1024", description = "n of the n x n matmul peak test (default: ${DEFAULT-VALUE}).")
    int matmulSize;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/bench", description = "Where the markdown/JSON results go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!ModelBundle.exists(bundle)) throw new IllegalArgumentException("no model bundle at " + bundle + " (build one with `sidflow train`)");
        BenchCommand.quietLogs();
        InferenceBench.Result r = new InferenceBench(
                new InferenceBench.Settings(bundle, batches, history, seconds, matmulSize, 42), System.err).run();
        System.out.println(InferenceBench.report(r, false));
        Path written = BenchReport.write(out, "inference", "# sidflow bench inference\n\nBundle: `" + bundle + "`\n\n"
                + InferenceBench.report(r, true), r);
        System.err.println("results: " + written + " (.md and .json)");
        return 0;
    }
}
