package dev.sidflow.stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalFlinkClusterTest {

    @Test
    void readsTheTaskManagerAndSlotCountsOfARestOverview() {
        assertThat(LocalFlinkCluster.Overview.parse(
                "{\"taskmanagers\":2,\"slots-total\":4,\"slots-available\":3,\"jobs-running\":1,\"flink-version\":\"2.2.1\"}"))
                .isEqualTo(new LocalFlinkCluster.Overview(2, 4));
        // pretty-printed answers and other field orders count too
        assertThat(LocalFlinkCluster.Overview.parse("{\n  \"slots-total\" : 8,\n  \"taskmanagers\" : 3\n}"))
                .isEqualTo(new LocalFlinkCluster.Overview(3, 8));
        // registered, slots not reported yet: the state a readiness check must not take for ready
        assertThat(LocalFlinkCluster.Overview.parse("{\"taskmanagers\":1,\"slots-total\":0}"))
                .isEqualTo(new LocalFlinkCluster.Overview(1, 0));
        assertThat(LocalFlinkCluster.Overview.parse("<html>502 Bad Gateway</html>")).isEqualTo(new LocalFlinkCluster.Overview(0, 0));
        assertThat(LocalFlinkCluster.Overview.parse("")).isEqualTo(new LocalFlinkCluster.Overview(0, 0));
    }
}
