package dev.sidflow.data;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal RFC 4180 reader: comma-separated fields, fields in double quotes may hold commas,
 * line breaks and doubled quotes ({@code "Cry, the ""Beloved"" Country"}). Tracks the line each
 * record starts on so that errors can point at it.
 */
final class CsvReader implements Closeable {
    private final Path file;
    private final BufferedReader in;
    private long nextLine = 1;
    private long recordLine;

    CsvReader(Path file) throws IOException {
        this.file = file;
        this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }

    /** The next record's fields, or null at the end of the file. Blank lines are skipped. */
    List<String> next() throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) return null;
            recordLine = nextLine++;
        } while (line.isEmpty());
        if (recordLine == 1 && line.charAt(0) == '\uFEFF') line = line.substring(1); // byte order mark
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        boolean quoted = false;
        boolean fieldWasQuoted = false;
        while (true) {
            if (i == line.length()) {
                if (!quoted) break;
                // a quoted field spans lines: keep the line break, go on with the next line
                String more = in.readLine();
                if (more == null) {
                    throw new DataFormatException(file, recordLine, "unterminated quoted field");
                }
                nextLine++;
                field.append('\n');
                line = more;
                i = 0;
                continue;
            }
            char c = line.charAt(i++);
            if (quoted) {
                if (c == '"') {
                    if (i < line.length() && line.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                fieldWasQuoted = false;
            } else if (c == '"' && field.isEmpty() && !fieldWasQuoted) {
                quoted = true;
                fieldWasQuoted = true;
            } else if (c == '"') {
                throw new DataFormatException(file, recordLine,
                        "stray quote in field " + (fields.size() + 1) + " (quote the whole field and double inner quotes)");
            } else if (fieldWasQuoted) {
                throw new DataFormatException(file, recordLine,
                        "text after closing quote in field " + (fields.size() + 1));
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    /** Line (1-based) on which the record last returned by {@link #next()} starts. */
    long line() { return recordLine; }

    Path file() { return file; }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
