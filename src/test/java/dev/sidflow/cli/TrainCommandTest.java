package dev.sidflow.cli;

import dev.sidflow.model.TinyBundle;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TrainCommandTest {
    private static final String SPEC = "src/test/resources/tiny-model.yaml";

    @Test
    void aWarmStartWithoutOnlyIsAClearError() {
        DataCommandTest.Result r = DataCommandTest.run("train", "--spec", SPEC, "--data", TinyBundle.data().toString(),
                "--out", Path.of("target", "never-written").toString(), "--warm-start");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("error: --warm-start needs --only generator");
    }

    @Test
    void anUnknownMemberIsAClearErrorAndTheBundleIsUntouched() throws Exception {
        Path bundle = TinyBundle.dir();
        String manifest = java.nio.file.Files.readString(bundle.resolve("manifest.json"));
        DataCommandTest.Result r = DataCommandTest.run("train", "--spec", SPEC, "--data", TinyBundle.data().toString(),
                "--out", bundle.toString(), "--only", "generator,tiger");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("unknown member 'tiger'");
        assertThat(java.nio.file.Files.readString(bundle.resolve("manifest.json"))).isEqualTo(manifest);
    }

    @Test
    void helpNamesTheRetrainOptions() {
        DataCommandTest.Result r = DataCommandTest.run("train", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--only").contains("--warm-start");
    }
}
