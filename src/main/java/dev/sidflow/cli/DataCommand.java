package dev.sidflow.cli;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetFormat;
import dev.sidflow.data.DatasetManifest;
import dev.sidflow.data.DatasetStats;
import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.KCore;
import dev.sidflow.data.SyntheticData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code sidflow data import | generate | stats}: get data into the canonical directory layout. */
@Command(name = "data",
        mixinStandardHelpOptions = true,
        description = {"Import, generate and inspect data sets.",
                "A data set directory holds dataset.json, items.jsonl and interactions.jsonl."},
        subcommands = {DataCommand.Import.class, DataCommand.Generate.class, DataCommand.Stats.class})
public final class DataCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reads a data set: the canonical layout or any raw format (auto-detected unless named). */
    static Dataset load(Path dir, String format) throws IOException {
        return "auto".equalsIgnoreCase(format) ? DatasetFormat.loadAuto(dir) : DatasetFormat.fromName(format).load(dir);
    }

    /** IOExceptions of java.nio carry only a path as message: say what went wrong. */
    static RuntimeException userError(IOException e) {
        String msg;
        if (e instanceof NoSuchFileException f) msg = "no such file or directory: " + f.getFile();
        else if (e instanceof AccessDeniedException f) msg = "permission denied: " + f.getFile();
        else if (e instanceof FileSystemException f) msg = f.getFile() + ": " + (f.getReason() == null ? e : f.getReason());
        else msg = String.valueOf(e.getMessage());
        return new UncheckedIOException(msg, e);
    }

    static String summary(DatasetManifest m) {
        return String.format(Locale.ROOT, "%,d users, %,d items, %,d interactions", m.users(), m.items(), m.interactions());
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Convert a raw data set into the canonical directory layout.",
                    "Formats: amazon-tsv (items.tsv + sequences.tsv), amazon-json (<Name>.item.json + "
                            + "<Name>.inter.json), movielens (movies.csv + ratings.csv), jsonl (items.jsonl + "
                            + "events.jsonl), auto (detect from the files)."})
    static final class Import implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
                description = "amazon-tsv, amazon-json, movielens, jsonl or auto (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--input", required = true, paramLabel = "DIR", description = "Directory with the raw files.")
        Path input;

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "Directory to write the data set to.")
        Path output;

        @Option(names = "--kcore", paramLabel = "K", defaultValue = "0",
                description = "Keep only the k-core: users and items with at least K interactions (default: off).")
        int kcore;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter out = spec.commandLine().getOut();
            if (kcore < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--kcore must be >= 0");
            long start = System.nanoTime();
            try {
                String fmt = "auto".equalsIgnoreCase(format) ? DatasetFormat.detect(input).cliName() : format;
                err.println("reading " + input + " (" + fmt + ") ...");
                err.flush();
                Dataset dataset = load(input, fmt);
                if (kcore > 0) {
                    int before = dataset.interactions().size();
                    dataset = KCore.filter(dataset, kcore);
                    err.printf(Locale.ROOT, "%d-core: kept %,d of %,d interactions%n", kcore,
                            dataset.interactions().size(), before);
                }
                err.println("writing " + output + " ...");
                err.flush();
                DatasetManifest m = DatasetStore.write(dataset, output);
                out.printf(Locale.ROOT, "imported %s into %s: %s in %.1f s%n", dataset.name(), output, summary(m),
                        (System.nanoTime() - start) / 1e9);
                return 0;
            } catch (IOException e) {
                throw userError(e);
            }
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Generate a reproducible synthetic video-game shop data set.",
                    "Planted structure: sequels follow their predecessor, accessories follow games of their "
                            + "platform, users keep to favourite genres and a platform; the same seed gives the same data."})
    static final class Generate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--users", defaultValue = "1000", description = "Number of users (default: ${DEFAULT-VALUE}).")
        int users;

        @Option(names = "--items", defaultValue = "2000", description = "Catalog size, >= 10 (default: ${DEFAULT-VALUE}).")
        int items;

        @Option(names = "--mean-length", defaultValue = "8", paramLabel = "L",
                description = "Mean interactions per user, >= 1 (default: ${DEFAULT-VALUE}).")
        double meanLength;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "Directory to write the data set to.")
        Path output;

        @Override
        public Integer call() {
            SyntheticData.Config config;
            try {
                config = new SyntheticData.Config(users, items, meanLength, seed);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            long start = System.nanoTime();
            Dataset dataset = SyntheticData.generate(config);
            try {
                DatasetManifest m = DatasetStore.write(dataset, output);
                spec.commandLine().getOut().printf(Locale.ROOT, "generated %s into %s: %s in %.1f s%n", dataset.name(),
                        output, summary(m), (System.nanoTime() - start) / 1e9);
                return 0;
            } catch (IOException e) {
                throw userError(e);
            }
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Print users, items, interactions, sequence lengths and time span of a data set "
                    + "(a canonical directory or a raw one in any importable format).")
    static final class Stats implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Data set directory.")
        Path dir;

        @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
                description = "Format of DIR if not auto-detected (default: ${DEFAULT-VALUE}).")
        String format;

        @Override
        public Integer call() {
            try {
                Dataset dataset = load(dir, format);
                PrintWriter out = spec.commandLine().getOut();
                out.print(DatasetStats.of(dataset).table());
                out.flush(); // print() does not auto-flush, and main() ends in System.exit
                return 0;
            } catch (IOException e) {
                throw userError(e);
            }
        }
    }
}
