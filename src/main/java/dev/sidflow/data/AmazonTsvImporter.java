package dev.sidflow.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Amazon 2018 sequence format of the LC-Rec / UniSRec "Games" set:
 * <ul>
 *   <li>{@code items.tsv} with header {@code item_id, asin, title, unisrec_item_id,
 *       title_join_ambiguous} (item_id and title required, the rest optional; asin,
 *       unisrec_item_id and a set ambiguity flag are kept as attributes);</li>
 *   <li>{@code sequences.tsv} with header {@code user_id, reviewer_id, item_ids_chronological}
 *       (space-separated item ids, oldest first; reviewer_id optional and not kept).</li>
 * </ul>
 * The source has no timestamps: they are synthesised with {@link SyntheticTimestamps}.
 * Every interaction is a {@code REVIEW} (a review stands for a purchase in these sets).
 */
public final class AmazonTsvImporter implements DatasetImporter {
    public static final String ITEMS = "items.tsv";
    public static final String SEQUENCES = "sequences.tsv";

    @Override
    public Dataset load(Path dir) throws IOException {
        DatasetImporter.requireDirectory(dir);
        Path itemsFile = DatasetImporter.requireFile(dir, ITEMS, "amazon-tsv");
        Path seqFile = DatasetImporter.requireFile(dir, SEQUENCES, "amazon-tsv");
        Map<String, Item> items = readItems(itemsFile);
        List<Interaction> interactions = readSequences(seqFile, items);
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        return new Dataset(name, "amazon-tsv:" + dir.toAbsolutePath().normalize(),
                new ArrayList<>(items.values()), interactions, true);
    }

    /** Column positions from a header line; fails naming the file when a required one is absent. */
    private static Map<String, Integer> header(Path file, String line, String... required) {
        if (line == null) throw new DataFormatException(file, "empty file (expected a header line)");
        if (!line.isEmpty() && line.charAt(0) == '\uFEFF') line = line.substring(1);
        String[] cols = line.split("\t", -1);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < cols.length; i++) index.put(cols[i].trim(), i);
        for (String r : required) {
            if (!index.containsKey(r)) {
                throw new DataFormatException(file, 1, "header must name column \"" + r
                        + "\" (tab-separated); found " + Arrays.toString(cols));
            }
        }
        index.put("#columns", cols.length);
        return index;
    }

    private static String[] columns(Path file, long line, String text, int expected) {
        String[] f = text.split("\t", -1);
        if (f.length != expected) {
            throw new DataFormatException(file, line, "expected " + expected + " tab-separated columns, found " + f.length);
        }
        return f;
    }

    private static Map<String, Item> readItems(Path file) throws IOException {
        Map<String, Item> items = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Map<String, Integer> h = header(file, r.readLine(), "item_id", "title");
            int n = h.get("#columns");
            int idCol = h.get("item_id"), titleCol = h.get("title");
            Integer asinCol = h.get("asin"), unisrecCol = h.get("unisrec_item_id"), ambCol = h.get("title_join_ambiguous");
            String text;
            long line = 1;
            while ((text = r.readLine()) != null) {
                line++;
                if (text.isEmpty()) continue;
                String[] f = columns(file, line, text, n);
                String id = f[idCol].trim();
                if (id.isEmpty()) throw new DataFormatException(file, line, "empty item_id");
                Map<String, String> attributes = new HashMap<>();
                if (asinCol != null && !f[asinCol].isBlank()) attributes.put("asin", f[asinCol].trim());
                if (unisrecCol != null && !f[unisrecCol].isBlank()) attributes.put("unisrecItemId", f[unisrecCol].trim());
                if (ambCol != null && f[ambCol].trim().equals("1")) attributes.put("titleJoinAmbiguous", "true");
                Item item = new Item(id, HtmlEntities.unescape(f[titleCol].trim()), null, null, List.of(), attributes);
                if (items.putIfAbsent(id, item) != null) {
                    throw new DataFormatException(file, line, "duplicate item_id " + id);
                }
            }
        }
        return items;
    }

    private static List<Interaction> readSequences(Path file, Map<String, Item> items) throws IOException {
        List<Interaction> out = new ArrayList<>();
        Set<String> users = new HashSet<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Map<String, Integer> h = header(file, r.readLine(), "user_id", "item_ids_chronological");
            int n = h.get("#columns");
            int userCol = h.get("user_id"), seqCol = h.get("item_ids_chronological");
            String text;
            long line = 1;
            while ((text = r.readLine()) != null) {
                line++;
                if (text.isEmpty()) continue;
                String[] f = columns(file, line, text, n);
                String user = f[userCol].trim();
                if (user.isEmpty()) throw new DataFormatException(file, line, "empty user_id");
                if (!users.add(user)) throw new DataFormatException(file, line, "duplicate user_id " + user);
                String seq = f[seqCol];
                int position = 0;
                int i = 0, len = seq.length();
                while (i < len) {
                    while (i < len && seq.charAt(i) == ' ') i++;
                    int start = i;
                    while (i < len && seq.charAt(i) != ' ') i++;
                    if (start == i) break;
                    String itemId = seq.substring(start, i);
                    Item item = items.get(itemId);
                    if (item == null) {
                        throw new DataFormatException(file, line, "item id \"" + itemId + "\" is not in " + ITEMS);
                    }
                    out.add(new Interaction(user, item.itemId(), SyntheticTimestamps.at(position++), "REVIEW"));
                }
            }
        }
        return out;
    }
}
