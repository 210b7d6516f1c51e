package dev.sidflow.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The input formats we read, with the name the CLI uses and detection from a directory's files. */
public enum DatasetFormat {
    /** Our own directory written by {@link DatasetStore}. */
    CANONICAL("canonical"),
    AMAZON_TSV("amazon-tsv"),
    AMAZON_JSON("amazon-json"),
    MOVIELENS("movielens"),
    JSONL("jsonl");

    private final String cliName;

    DatasetFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() { return cliName; }

    /** The format of a CLI name such as {@code amazon-tsv}. */
    public static DatasetFormat fromName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (DatasetFormat f : values()) if (f.cliName.equals(n)) return f;
        throw new IllegalArgumentException("unknown format \"" + name + "\"; expected one of "
                + Arrays.stream(values()).map(DatasetFormat::cliName).collect(Collectors.joining(", ")) + " or auto");
    }

    /** Reads {@code dir} in this format. */
    public Dataset load(Path dir) throws IOException {
        return switch (this) {
            case CANONICAL -> DatasetStore.read(dir);
            case AMAZON_TSV -> new AmazonTsvImporter().load(dir);
            case AMAZON_JSON -> new AmazonJsonImporter().load(dir);
            case MOVIELENS -> new MovieLensImporter().load(dir);
            case JSONL -> new JsonlImporter().load(dir);
        };
    }

    /**
     * The format of the files in {@code dir}: a dataset.json means canonical; then items.tsv +
     * sequences.tsv, a *.item.json + *.inter.json pair, movies.csv + ratings.csv, items.jsonl +
     * events.jsonl. Fails naming the files it saw when none fits.
     */
    public static DatasetFormat detect(Path dir) throws IOException {
        DatasetImporter.requireDirectory(dir);
        if (Files.isRegularFile(dir.resolve(DatasetStore.MANIFEST))) return CANONICAL;
        if (Files.isRegularFile(dir.resolve(AmazonTsvImporter.ITEMS))
                && Files.isRegularFile(dir.resolve(AmazonTsvImporter.SEQUENCES))) return AMAZON_TSV;
        if (AmazonJsonImporter.prefix(dir) != null) return AMAZON_JSON;
        if (Files.isRegularFile(dir.resolve(MovieLensImporter.MOVIES))
                && Files.isRegularFile(dir.resolve(MovieLensImporter.RATINGS))) return MOVIELENS;
        if (Files.isRegularFile(dir.resolve(JsonlImporter.ITEMS)) && JsonlImporter.eventsFile(dir) != null) return JSONL;
        List<String> seen;
        try (Stream<Path> files = Files.list(dir)) {
            seen = files.map(p -> p.getFileName().toString()).sorted().limit(20).toList();
        }
        throw new DataFormatException(dir, "cannot tell the data format from its files " + seen
                + "; expected dataset.json (canonical), items.tsv + sequences.tsv (amazon-tsv), "
                + "<Name>.item.json + <Name>.inter.json (amazon-json), movies.csv + ratings.csv (movielens) "
                + "or items.jsonl + events.jsonl (jsonl)");
    }

    /** Detects the format of {@code dir} and reads it. */
    public static Dataset loadAuto(Path dir) throws IOException {
        return detect(dir).load(dir);
    }
}
