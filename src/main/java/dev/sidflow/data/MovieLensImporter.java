package dev.sidflow.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GroupLens MovieLens CSV (ml-latest-small, ml-25m, ...):
 * <ul>
 *   <li>{@code movies.csv}: {@code movieId,title,genres}, titles quoted when they hold commas,
 *       genres pipe-separated ({@code (no genres listed)} means none); genres become categories
 *       and the release year in the title becomes the {@code year} attribute;</li>
 *   <li>{@code ratings.csv}: {@code userId,movieId,rating,timestamp} with Unix seconds;
 *       each rating is a {@code RATE} interaction (the rating value itself is not kept).</li>
 * </ul>
 * Real timestamps: a replay in event time is a replay of the historical log.
 */
public final class MovieLensImporter implements DatasetImporter {
    public static final String MOVIES = "movies.csv";
    public static final String RATINGS = "ratings.csv";

    private static final Pattern YEAR = Pattern.compile("\\((\\d{4})\\)\\s*$");

    @Override
    public Dataset load(Path dir) throws IOException {
        DatasetImporter.requireDirectory(dir);
        Path moviesFile = DatasetImporter.requireFile(dir, MOVIES, "movielens");
        Path ratingsFile = DatasetImporter.requireFile(dir, RATINGS, "movielens");
        Map<String, Item> items = readMovies(moviesFile);
        List<Interaction> interactions = readRatings(ratingsFile, items);
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        return new Dataset(name, "movielens:" + dir.toAbsolutePath().normalize(),
                new ArrayList<>(items.values()), interactions, false);
    }

    private static Map<String, Integer> header(CsvReader r, String... required) throws IOException {
        List<String> cols = r.next();
        if (cols == null) throw new DataFormatException(r.file(), "empty file (expected a header line)");
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < cols.size(); i++) index.put(cols.get(i).trim(), i);
        for (String c : required) {
            if (!index.containsKey(c)) {
                throw new DataFormatException(r.file(), r.line(), "header must name column \"" + c + "\"; found " + cols);
            }
        }
        return index;
    }

    private static void checkWidth(CsvReader r, List<String> row, int expected) {
        if (row.size() != expected) {
            throw new DataFormatException(r.file(), r.line(), "expected " + expected + " comma-separated fields, found "
                    + row.size() + " (quote fields that contain commas)");
        }
    }

    private static Map<String, Item> readMovies(Path file) throws IOException {
        Map<String, Item> items = new LinkedHashMap<>();
        try (CsvReader r = new CsvReader(file)) {
            Map<String, Integer> h = header(r, "movieId", "title", "genres");
            int width = h.size();
            int idCol = h.get("movieId"), titleCol = h.get("title"), genresCol = h.get("genres");
            List<String> row;
            while ((row = r.next()) != null) {
                checkWidth(r, row, width);
                String id = row.get(idCol).trim();
                if (id.isEmpty()) throw new DataFormatException(file, r.line(), "empty movieId");
                String title = HtmlEntities.unescape(row.get(titleCol).trim());
                List<String> genres = new ArrayList<>();
                for (String g : row.get(genresCol).split("\\|")) {
                    g = g.trim();
                    if (!g.isEmpty() && !g.equals("(no genres listed)")) genres.add(g);
                }
                Map<String, String> attributes = new HashMap<>();
                Matcher m = YEAR.matcher(title);
                if (m.find()) attributes.put("year", m.group(1));
                if (items.putIfAbsent(id, new Item(id, title, null, null, genres, attributes)) != null) {
                    throw new DataFormatException(file, r.line(), "duplicate movieId " + id);
                }
            }
        }
        return items;
    }

    private static List<Interaction> readRatings(Path file, Map<String, Item> items) throws IOException {
        List<Interaction> out = new ArrayList<>();
        Map<String, String> users = new HashMap<>();
        try (CsvReader r = new CsvReader(file)) {
            Map<String, Integer> h = header(r, "userId", "movieId", "rating", "timestamp");
            int width = h.size();
            int userCol = h.get("userId"), movieCol = h.get("movieId"), ratingCol = h.get("rating"), tsCol = h.get("timestamp");
            List<String> row;
            while ((row = r.next()) != null) {
                checkWidth(r, row, width);
                String user = row.get(userCol).trim();
                if (user.isEmpty()) throw new DataFormatException(file, r.line(), "empty userId");
                Item item = items.get(row.get(movieCol).trim());
                if (item == null) {
                    throw new DataFormatException(file, r.line(), "movieId \"" + row.get(movieCol) + "\" is not in " + MOVIES);
                }
                try {
                    double rating = Double.parseDouble(row.get(ratingCol).trim());
                    if (!(rating >= 0 && rating <= 10)) throw new NumberFormatException();
                } catch (NumberFormatException e) {
                    throw new DataFormatException(file, r.line(), "rating \"" + row.get(ratingCol) + "\" is not a number in 0..10");
                }
                long seconds;
                try {
                    seconds = Long.parseLong(row.get(tsCol).trim());
                } catch (NumberFormatException e) {
                    throw new DataFormatException(file, r.line(), "timestamp \"" + row.get(tsCol) + "\" is not Unix seconds");
                }
                out.add(new Interaction(users.computeIfAbsent(user, u -> u), item.itemId(), seconds * 1000L, "RATE"));
            }
        }
        return out;
    }
}
