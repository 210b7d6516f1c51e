package dev.sidflow.embed;

/** Receives progress of a long job: {@code done} of {@code total} units. Called from any thread. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    void progress(long done, long total);
}
