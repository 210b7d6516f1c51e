package dev.sidflow.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LeaveOneOutTest {

    @Test
    void lastIsTestSecondLastIsValidationShortUsersTrainOnly() {
        List<Item> items = List.of(Item.of("a", "A"), Item.of("b", "B"), Item.of("c", "C"), Item.of("d", "D"));
        List<Interaction> in = List.of(
                new Interaction("u1", "d", SyntheticTimestamps.at(3), "REVIEW"),
                new Interaction("u1", "a", SyntheticTimestamps.at(0), "REVIEW"),
                new Interaction("u1", "c", SyntheticTimestamps.at(2), "REVIEW"),
                new Interaction("u1", "b", SyntheticTimestamps.at(1), "REVIEW"),
                new Interaction("u2", "b", SyntheticTimestamps.at(0), "REVIEW"),
                new Interaction("u2", "a", SyntheticTimestamps.at(1), "REVIEW"));
        List<LeaveOneOut.UserSplit> splits = LeaveOneOut.split(new Dataset("t", items, in, true));
        LeaveOneOut.UserSplit u1 = splits.stream().filter(s -> s.userId().equals("u1")).findFirst().orElseThrow();
        assertThat(u1.train()).containsExactly("a", "b");
        assertThat(u1.validation()).isEqualTo("c");
        assertThat(u1.test()).isEqualTo("d");
        assertThat(u1.testHistory()).containsExactly("a", "b", "c");
        LeaveOneOut.UserSplit u2 = splits.stream().filter(s -> s.userId().equals("u2")).findFirst().orElseThrow();
        assertThat(u2.evaluable()).isFalse();
        assertThat(u2.train()).containsExactly("b", "a");
    }
}
