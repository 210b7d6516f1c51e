package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A 64-bit fingerprint of what a catalog item says (title, text, brand, categories, attributes,
 * deleted), not of when it was sent: {@code updated_at} and the attribute order are left out, so a
 * re-send of an unchanged item has the same fingerprint.
 */
public final class CatalogFingerprint {
    private CatalogFingerprint() {}

    public static long of(CatalogItem item) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        field(sha, item.getItemId());
        field(sha, item.getTitle());
        field(sha, item.getText());
        field(sha, item.getBrand());
        field(sha, Integer.toString(item.getCategories().size()));
        for (CharSequence c : item.getCategories()) field(sha, c);
        Map<String, String> attributes = new TreeMap<>();
        item.getAttributes().forEach((k, v) -> attributes.put(k.toString(), v == null ? null : v.toString()));
        field(sha, Integer.toString(attributes.size()));
        attributes.forEach((k, v) -> {
            field(sha, k);
            field(sha, v);
        });
        field(sha, Boolean.toString(item.getDeleted()));
        return ByteBuffer.wrap(sha.digest()).getLong();
    }

    /** Length-prefixed, with null distinct from empty, so fields cannot run into each other. */
    private static void field(MessageDigest sha, CharSequence value) {
        if (value == null) {
            sha.update(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] b = value.toString().getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(b.length).array());
        sha.update(b);
    }
}
