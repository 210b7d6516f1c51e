package dev.sidflow.data;

import java.io.IOException;
import java.nio.file.Path;

/** Reads one source format from a directory into the canonical {@link Dataset}. */
public interface DatasetImporter {
    /**
     * @throws DataFormatException naming file and line when the input is malformed
     * @throws IOException         when the files cannot be read
     */
    Dataset load(Path dir) throws IOException;

    /** Fails with a clear message when {@code dir} is not a readable directory. */
    static void requireDirectory(Path dir) {
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new DataFormatException(dir, "no such directory");
        }
    }

    /** Fails with a clear message when a file the format needs is absent. */
    static Path requireFile(Path dir, String name, String format) {
        Path file = dir.resolve(name);
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new DataFormatException(file, "missing (the " + format + " format needs it)");
        }
        return file;
    }
}
