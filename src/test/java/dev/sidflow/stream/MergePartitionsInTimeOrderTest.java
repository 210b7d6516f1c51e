package dev.sidflow.stream;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MergePartitionsInTimeOrderTest {

    private static RawRecord rec(int partition, long offset, long timestamp) {
        return new RawRecord(null, (partition + "@" + offset).getBytes(StandardCharsets.UTF_8), "t", partition, offset, timestamp);
    }

    private static OneInputStreamOperatorTestHarness<RawRecord, RawRecord> harness(OperatorSubtaskState restore) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<RawRecord, RawRecord>(new MergePartitionsInTimeOrder());
        h.setup();
        if (restore != null) h.initializeState(restore);
        else h.initializeEmptyState();
        h.open();
        return h;
    }

    private static List<String> values(OneInputStreamOperatorTestHarness<RawRecord, RawRecord> h) {
        return h.extractOutputValues().stream().map(r -> new String(r.value, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void theOutputOrderDoesNotDependOnHowPartitionsInterleaveOrWhereWatermarksFall() throws Exception {
        // partition 0: times 10, 20, 20, 40; partition 1: 15, 20, 30 (out of order: 25 after 30)
        List<RawRecord> p0 = List.of(rec(0, 0, 10), rec(0, 1, 20), rec(0, 2, 20), rec(0, 3, 40));
        List<RawRecord> p1 = List.of(rec(1, 0, 15), rec(1, 1, 20), rec(1, 2, 30), rec(1, 3, 25));

        var a = harness(null);
        for (RawRecord r : p0) a.processElement(new StreamRecord<>(r));
        a.processWatermark(new Watermark(14));   // min over partitions would never pass p1's first record here
        for (RawRecord r : p1) a.processElement(new StreamRecord<>(r));
        a.processWatermark(new Watermark(Long.MAX_VALUE));

        var b = harness(null);
        b.processElement(new StreamRecord<>(p1.get(0)));
        b.processElement(new StreamRecord<>(p0.get(0)));
        b.processElement(new StreamRecord<>(p1.get(1)));
        b.processWatermark(new Watermark(9));
        b.processElement(new StreamRecord<>(p0.get(1)));
        b.processElement(new StreamRecord<>(p0.get(2)));
        b.processWatermark(new Watermark(19));   // releases 10 (p0) and 15 (p1), holds the 20s
        assertThat(values(b)).containsExactly("0@0", "1@0");
        b.processElement(new StreamRecord<>(p1.get(2)));
        b.processElement(new StreamRecord<>(p1.get(3)));
        b.processElement(new StreamRecord<>(p0.get(3)));
        b.getOperator().finish();

        // time, then partition, then offset; p1's late 25 merges at its partition's time so far (30)
        List<String> expected = List.of("0@0", "1@0", "0@1", "0@2", "1@1", "1@2", "1@3", "0@3");
        assertThat(values(a)).containsExactlyElementsOf(expected);
        assertThat(values(b)).containsExactlyElementsOf(expected);
        a.close();
        b.close();
    }

    @Test
    void pendingRecordsAndPartitionTimesSurviveARestore() throws Exception {
        var before = harness(null);
        before.processElement(new StreamRecord<>(rec(0, 0, 10)));
        before.processElement(new StreamRecord<>(rec(1, 0, 50)));
        before.processWatermark(new Watermark(10));
        assertThat(values(before)).containsExactly("0@0");
        OperatorSubtaskState snapshot = before.snapshot(1, 1);
        before.close();

        var after = harness(snapshot);
        assertThat(((MergePartitionsInTimeOrder) after.getOperator()).pendingCount()).isEqualTo(1);
        // partition 1 is at time 50 already: its next record, stamped 40, still merges at 50
        after.processElement(new StreamRecord<>(rec(1, 1, 40)));
        after.processElement(new StreamRecord<>(rec(0, 1, 45)));
        after.processWatermark(new Watermark(49));
        assertThat(values(after)).containsExactly("0@1");
        after.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(values(after)).containsExactly("0@1", "1@0", "1@1");
        after.close();
    }
}
