package dev.sidflow.embed;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarTest {

    @Test
    void withoutAConsoleItLogsPlainLinesNotThousandsOfRedraws() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ProgressBar bar = new ProgressBar("epoch 1", "batches", new PrintStream(bytes, true, StandardCharsets.UTF_8), false)) {
            for (int b = 1; b <= 5_000; b++) bar.progress(b, 5_000, "loss 2.1");
        }
        String log = bytes.toString(StandardCharsets.UTF_8);
        // the first update at once and the final state on close: two plain lines within the interval
        assertThat(log).doesNotContain("\r");
        assertThat(log.lines()).hasSize(2);
        assertThat(log.lines().toList().get(0)).startsWith("epoch 1 [").contains(" 1/5000 batches");
        assertThat(log.lines().toList().get(1)).contains("100% 5000/5000 batches").endsWith("loss 2.1");
    }

    @Test
    void onAConsoleItRedrawsOneLineInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ProgressBar bar = new ProgressBar("embed", "items", new PrintStream(bytes, true, StandardCharsets.UTF_8), true)) {
            for (int i = 1; i <= 100; i++) bar.progress(i, 100);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("\rembed [").contains("100% 100/100 items").endsWith(System.lineSeparator());
        // redraws return to the line's start; only close ends the line
        assertThat(out.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }
}
