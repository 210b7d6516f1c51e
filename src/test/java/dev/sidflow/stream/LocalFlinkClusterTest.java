package dev.sidflow.stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalFlinkClusterTest {

    @Test
    void readsTheTaskManagerCountOfARestOverview() {
        assertThat(LocalFlinkCluster.taskManagers(
                "{\"taskmanagers\":2,\"slots-total\":4,\"slots-available\":3,\"jobs-running\":1,\"flink-version\":\"2.2.1\"}")).isEqualTo(2);
        // pretty-printed answers and other field orders count too
        assertThat(LocalFlinkCluster.taskManagers("{\n  \"slots-total\" : 8,\n  \"taskmanagers\" : 3\n}")).isEqualTo(3);
        assertThat(LocalFlinkCluster.taskManagers("{\"slots-total\":0}")).isZero();
        assertThat(LocalFlinkCluster.taskManagers("<html>502 Bad Gateway</html>")).isZero();
        assertThat(LocalFlinkCluster.taskManagers("")).isZero();
    }
}
