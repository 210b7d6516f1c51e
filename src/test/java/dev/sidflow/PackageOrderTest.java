package dev.sidflow;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The code's packages follow the data's path, and each imports only those before it, so the
 * recommender in {@code serve} runs offline, in tests and inside operators alike: it must not
 * reach into Flink or into the stream.
 */
class PackageOrderTest {
    private static final List<String> ORDER = List.of("sid", "data", "embed", "quantize", "model", "serve", "stream", "eval", "cli");
    private static final Path ROOT = Path.of("src", "main", "java", "dev", "sidflow");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void noPackageImportsOneThatComesAfterIt() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            String from = packageOf(file);
            if (!ORDER.contains(from)) continue;
            for (String imported : imports(file)) {
                if (!imported.startsWith("dev.sidflow.")) continue;
                String to = imported.substring("dev.sidflow.".length()).split("\\.")[0];
                if (ORDER.contains(to) && ORDER.indexOf(to) > ORDER.indexOf(from)) violations.add(ROOT.relativize(file) + " imports " + imported);
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theRecommenderAndTheModelsDoNotDependOnFlink() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            String from = packageOf(file);
            if (!ORDER.contains(from) || ORDER.indexOf(from) > ORDER.indexOf("serve")) continue;
            for (String imported : imports(file)) {
                if (imported.startsWith("org.apache.flink.")) violations.add(ROOT.relativize(file) + " imports " + imported);
            }
        }
        assertThat(violations).isEmpty();
        // the scan saw the packages it guards
        assertThat(sources().stream().map(PackageOrderTest::packageOf).distinct()).contains("serve", "model", "sid");
    }

    private static List<String> imports(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static String packageOf(Path file) {
        return ROOT.relativize(file).getName(0).toString();
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(p -> p.toString().endsWith(".java") && ROOT.relativize(p).getNameCount() > 1).toList();
        }
    }
}
