package dev.sidflow.cli;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DataCommandTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    static Result run(String... args) {
        CommandLine cl = SidflowCli.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void generateThenStats() throws Exception {
        Path out = dir.resolve("syn");
        Result gen = run("data", "generate", "--users", "200", "--items", "100", "--seed", "4", "--output", out.toString());
        assertThat(gen.exit()).as(gen.err()).isZero();
        assertThat(gen.out()).contains("200 users").contains("100 items");
        assertThat(DatasetStore.read(out).userCount()).isEqualTo(200);

        Result stats = run("data", "stats", out.toString());
        assertThat(stats.exit()).isZero();
        assertThat(stats.out()).contains("synthetic-games").containsPattern("users\\s+200\\n").containsPattern("items\\s+100\\n");
    }

    @Test
    void importAmazonTsvWithKcoreAndStatsOnRawDirectory() throws Exception {
        Path raw = Files.createDirectories(dir.resolve("raw"));
        Files.writeString(raw.resolve("items.tsv"), "item_id\tasin\ttitle\tunisrec_item_id\ttitle_join_ambiguous\n"
                + "0\tA\tHalo &amp; More\t1\t0\n1\tB\tB\t2\t0\n2\tC\tC\t3\t0\n");
        Files.writeString(raw.resolve("sequences.tsv"), "user_id\treviewer_id\titem_ids_chronological\n"
                + "0\tr0\t0 1\n1\tr1\t0 1\n2\tr2\t2\n");
        Path out = dir.resolve("out");
        Result imp = run("data", "import", "--format", "amazon-tsv", "--input", raw.toString(), "--output", out.toString(),
                "--kcore", "2");
        assertThat(imp.exit()).as(imp.err()).isZero();
        assertThat(imp.out()).contains("2 users, 2 items, 4 interactions");
        Dataset d = DatasetStore.read(out);
        assertThat(d.item("0").title()).isEqualTo("Halo & More");
        assertThat(d.syntheticTimestamps()).isTrue();

        Result stats = run("data", "stats", raw.toString());
        assertThat(stats.exit()).isZero();
        assertThat(stats.out()).containsPattern("users\\s+3\\n").containsPattern("interactions\\s+5\\n");
    }

    @Test
    void badInputIsOneClearLineWithoutStackTrace() throws Exception {
        Path raw = Files.createDirectories(dir.resolve("ml"));
        Files.writeString(raw.resolve("movies.csv"), "movieId,title,genres\n1,\"Heat (1995)\",Action\n");
        Files.writeString(raw.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4,100\n1,1,4\n");
        Result r = run("data", "import", "--input", raw.toString(), "--output", dir.resolve("o").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("ratings.csv:3").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err().strip().lines().filter(l -> l.startsWith("error:")).count()).isEqualTo(1);

        Result missing = run("data", "stats", dir.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("nope").contains("no such directory");

        Result badFormat = run("data", "import", "--format", "xml", "--input", raw.toString(), "--output", dir.toString());
        assertThat(badFormat.exit()).isNotZero();
        assertThat(badFormat.err()).contains("unknown format \"xml\"");
    }
}
