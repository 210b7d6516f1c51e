package dev.sidflow.serve;

import dev.sidflow.schema.CatalogItem;

/**
 * Gives a catalog item that arrived after training its first three SID codes (embedding its text
 * and encoding it with the persisted codebooks); the catalog then adds the dedup level.
 */
@FunctionalInterface
public interface ColdStart {
    int[] codes(CatalogItem item);
}
