package dev.sidflow.data;

/**
 * The contents of a canonical data set's {@code dataset.json}: what it is, where it came from and
 * how big it is (the counts are checked against the files when the data set is read).
 *
 * @param name                data set name
 * @param source              provenance: importer format and input, or generator settings
 * @param users               distinct users with at least one interaction
 * @param items               catalog size
 * @param interactions        number of interactions
 * @param syntheticTimestamps true when timestamps only encode each user's order
 * @param created             ISO-8601 instant the directory was written
 */
public record DatasetManifest(String name, String source, int users, int items, int interactions,
                              boolean syntheticTimestamps, String created) {
    /** Value of the {@code format} field, to recognise our own directories. */
    public static final String FORMAT = "sidflow-dataset";
    public static final int VERSION = 1;
}
