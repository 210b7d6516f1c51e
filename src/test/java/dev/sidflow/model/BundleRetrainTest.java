package dev.sidflow.model;

import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetFormat;
import dev.sidflow.data.SyntheticData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleRetrainTest {
    private static ModelSpec spec;
    private static Dataset data;

    @BeforeAll
    static void load() throws Exception {
        spec = ModelSpec.load(Path.of(BundleRetrainTest.class.getResource("/tiny-model.yaml").toURI()));
        data = DatasetFormat.loadAuto(TinyBundle.data());
    }

    @Test
    void aWarmStartedGeneratorReplacesOnlyTheGeneratorAndKeepsTheSids(@TempDir Path tmp) throws Exception {
        Path dir = copyOf(TinyBundle.dir(), tmp.resolve("bundle"));
        ModelBundle before = ModelBundle.open(dir);
        byte[] sasRec = Files.readAllBytes(onlyFile(dir.resolve(ModelBundle.SASREC)));
        byte[] generator = Files.readAllBytes(onlyParams(dir.resolve(ModelBundle.GENERATOR)));

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        BundleTrainer.Built built = new BundleTrainer(spec, new PrintStream(log, true, StandardCharsets.UTF_8))
                .retrain(data, dir, List.of("generator"), true, null);

        ModelBundle after = ModelBundle.open(dir);
        assertThat(after.manifest().version()).isNotEqualTo(before.manifest().version()).isEqualTo(built.manifest().version());
        assertThat(after.catalog()).isEqualTo(before.catalog());
        assertThat(after.manifest().dataFingerprint()).isEqualTo(before.manifest().dataFingerprint());
        assertThat(Files.readAllBytes(onlyFile(dir.resolve(ModelBundle.SASREC)))).isEqualTo(sasRec);
        assertThat(Files.readAllBytes(onlyParams(dir.resolve(ModelBundle.GENERATOR)))).isNotEqualTo(generator);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".new"));
        }
        // the fusion weights were chosen again and the retrained bundle serves
        assertThat(after.manifest().fusion()).isNotNull();
        try (var tiger = after.generator("cpu")) {
            var trie = dev.sidflow.sid.SidCatalog.of(after.sids(), after.titles()).trieSnapshot();
            var recs = new dev.sidflow.model.generator.TigerGenerator(tiger, trie, 8)
                    .recommend(List.of(List.copyOf(after.sids().values()).subList(0, 3)), 5, 10);
            assertThat(recs.get(0)).hasSize(5);
        }

        // continued, not started over: its first epoch starts near where the bundle's training ended
        double warm = firstValidationLoss(log.toString(StandardCharsets.UTF_8));
        Path fresh = copyOf(TinyBundle.dir(), tmp.resolve("fresh"));
        ByteArrayOutputStream freshLog = new ByteArrayOutputStream();
        new BundleTrainer(spec, new PrintStream(freshLog, true, StandardCharsets.UTF_8)).retrain(data, fresh, List.of("generator"), false, null);
        assertThat(warm).isLessThan(firstValidationLoss(freshLog.toString(StandardCharsets.UTF_8)));
    }

    @Test
    void anotherDataSetAMisspelledMemberOrAWarmStartWithoutTheGeneratorAreRefused(@TempDir Path tmp) throws Exception {
        Path dir = copyOf(TinyBundle.dir(), tmp.resolve("bundle"));
        BundleTrainer trainer = new BundleTrainer(spec, new PrintStream(PrintStream.nullOutputStream()));
        Dataset other = SyntheticData.generate(SyntheticData.Config.of(TinyBundle.USERS, TinyBundle.ITEMS, 6));
        assertThatThrownBy(() -> trainer.retrain(other, dir, List.of("generator"), false, null))
                .hasMessageContaining("not the one bundle");
        assertThatThrownBy(() -> trainer.retrain(data, dir, List.of("tiger"), false, null)).hasMessageContaining("unknown member 'tiger'");
        assertThatThrownBy(() -> trainer.retrain(data, dir, List.of("sasrec"), true, null)).hasMessageContaining("add generator");
        // nothing was touched
        assertThat(ModelBundle.open(dir).manifest()).isEqualTo(ModelBundle.open(TinyBundle.dir()).manifest());
    }

    private static double firstValidationLoss(String log) {
        Matcher m = Pattern.compile("epoch 1: train loss [0-9.]+, validation loss ([0-9.]+)").matcher(log);
        assertThat(m.find()).as("epoch 1 in the log:%n%s", log).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static Path onlyFile(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".params") || p.toString().endsWith(".bin")).findFirst().orElseThrow();
        }
    }

    private static Path onlyParams(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".params")).findFirst().orElseThrow();
        }
    }

    static Path copyOf(Path from, Path to) throws IOException {
        dev.sidflow.data.FileTrees.copy(from, to);
        return to;
    }
}
