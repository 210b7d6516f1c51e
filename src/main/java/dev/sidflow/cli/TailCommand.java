package dev.sidflow.cli;

import dev.sidflow.stream.kafka.RecordPrinter;
import dev.sidflow.stream.kafka.RecordTailer;
import dev.sidflow.stream.serde.FriendlyJsonCodec;
import dev.sidflow.stream.serde.RecordCodec;
import dev.sidflow.stream.serde.RecordType;
import dev.sidflow.stream.serde.WireFormat;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** `sidflow tail`: prints a topic's records readably. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print records from a topic: recommendations as ranked lists, dead letters with reason, source "
                + "and a preview of the raw bytes, events and catalog items one per line.",
                "The record type comes from --type or from the topic name (events, catalog, recommendations, dead-letters)."})
public final class TailCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--topic", required = true, paramLabel = "NAME", description = "Topic to read.")
    String topic;

    @Option(names = "--type", description = "Record type: ${COMPLETION-CANDIDATES} (default: from the topic name).")
    RecordType type;

    @Option(names = "--from-beginning", description = "Start at the earliest offsets (default: only new records).")
    boolean fromBeginning;

    @Option(names = "--max", defaultValue = "0", paramLabel = "N", description = "Stop after N records; 0 = never.")
    long max;

    @Option(names = "--idle-exit", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop after this many seconds without new records; 0 = never.")
    double idleExit;

    @Option(names = "--format", defaultValue = "avro", description = "Wire format of the topic: avro or json (default: ${DEFAULT-VALUE}).")
    WireFormat format;

    @Option(names = "--read-committed", description = "Skip records of aborted or open transactions.")
    boolean readCommitted;

    @Option(names = "--json", description = "Print each record as one JSON line instead of pretty text.")
    boolean json;

    @Mixin
    KafkaClientOptions kafka;

    @Override
    public Integer call() throws Exception {
        RecordType recordType = type != null ? type : RecordType.fromTopicName(topic).orElseThrow(() ->
                new IllegalArgumentException("cannot tell the record type of topic '" + topic + "'; pass --type"));
        return tail(recordType.codec(format));
    }

    private <T extends SpecificRecord> int tail(RecordCodec<T> codec) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        FriendlyJsonCodec<T> printer = new FriendlyJsonCodec<>(codec.recordClass());
        RecordTailer<T> tailer = new RecordTailer<>(kafka.settings(), codec);
        Thread hook = new Thread(tailer::wakeup, "tail-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        RecordTailer.Summary summary;
        try {
            summary = tailer.tail(topic, fromBeginning, readCommitted, max,
                    Duration.ofMillis((long) (idleExit * 1000)), (raw, record, error) -> {
                        String where = "[" + raw.partition() + "@" + raw.offset() + "] ";
                        if (error != null) out.println(where + "UNDECODABLE: " + error.getMessage());
                        else if (json) out.println(printer.toJson(record));
                        else out.println(where + RecordPrinter.format(record));
                        out.flush();
                    });
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // already running
            }
        }
        System.err.println("tail: " + summary.records() + " records" + (summary.undecodable() > 0
                ? ", " + summary.undecodable() + " undecodable" : ""));
        return 0;
    }
}
