package dev.sidflow.data;

import java.nio.file.Path;

/**
 * Input that does not have the expected shape. The message always names the file and, when the
 * problem is in one row, the line: {@code items.tsv:12: expected 5 tab-separated columns, found 3}.
 * Unchecked so that importers can raise it from parsing callbacks; the CLI prints the message.
 */
public class DataFormatException extends RuntimeException {
    private final Path file;
    private final long line;

    /** A problem in one line (1-based) of a file. */
    public DataFormatException(Path file, long line, String problem) {
        this(file, line, problem, null);
    }

    public DataFormatException(Path file, long line, String problem, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem, cause);
        this.file = file;
        this.line = line;
    }

    /** A problem with a file as a whole (missing, wrong header, ...). */
    public DataFormatException(Path file, String problem) {
        this(file, 0, problem, null);
    }

    public Path file() { return file; }

    /** 1-based line of the problem, or 0 when it concerns the whole file. */
    public long line() { return line; }
}
