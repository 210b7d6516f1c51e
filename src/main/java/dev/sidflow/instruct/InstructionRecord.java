package dev.sidflow.instruct;

import java.util.Objects;

/**
 * One instruction-tuning example. LLaMA-Factory joins {@code instruction} and {@code input} with a
 * newline into the user turn ({@link #userMessage()}); serving builds its prompts the same way.
 */
public record InstructionRecord(InstructionTask task, String instruction, String input, String output) {
    public InstructionRecord {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(instruction, "instruction");
        input = input == null ? "" : input;
        Objects.requireNonNull(output, "output");
    }

    /** The user turn as LLaMA-Factory builds it from an alpaca record: instruction, newline, input. */
    public String userMessage() {
        return input.isEmpty() ? instruction : instruction + "\n" + input;
    }
}
