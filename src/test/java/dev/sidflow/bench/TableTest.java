package dev.sidflow.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableTest {

    @Test
    void rendersTextAndMarkdown() {
        Table t = new Table("mode", "rate").add("batched", "1,000").add("per-event", 5);
        assertThat(t.toText()).isEqualTo("""
                mode        rate
                ---------  -----
                batched    1,000
                per-event      5
                """);
        assertThat(t.toMarkdown()).isEqualTo("""
                | mode | rate |
                |---|---:|
                | batched | 1,000 |
                | per-event | 5 |
                """);
        assertThatThrownBy(() -> t.add("x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsNumbers() {
        assertThat(Table.num(1234.567, 1)).isEqualTo("1,234.6");
        assertThat(Table.num(Double.NaN, 1)).isEqualTo("-");
        assertThat(Table.num(Double.POSITIVE_INFINITY, 0)).isEqualTo("n/a");
    }
}
