package dev.sidflow.instruct;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The instruction-tuning tasks sidflow exports, after the ITDR, RecAlpaca and LC-Rec task
 * families, limited to what an interaction log plus a catalog can ground.
 */
public enum InstructionTask {
    NEXT_ITEM("next-item", "SID history -> next item's SID"),
    TOP_K("top-k", "SID history + shuffled candidates (the true next item among them) -> ranked candidates"),
    ITEM_TO_ITEM("item-to-item", "an item's SID -> the items users interacted with right after it, most often first"),
    TITLE_TO_SID("title-to-sid", "item title -> SID (LC-Rec alignment)"),
    SID_TO_TITLE("sid-to-title", "SID -> item title (LC-Rec alignment)"),
    TEXT_TO_SID("text-to-sid", "item description -> SID (items with a description only)"),
    TEXT_TO_ITEMS("text-to-items", "a request in words naming a category, brand or attribute -> the matching items, "
            + "most popular in training first (RecAlpaca / ITDR preference -> items)"),
    ATTRIBUTE_STEERED("attribute-steered", "SID history + a brand/category/attribute of the next item -> its SID"),
    EXPLANATION("explanation", "SID history + the next item -> a reason built only from facts in the data");

    private final String cliName;
    private final String description;

    InstructionTask(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    public String cliName() { return cliName; }

    public String description() { return description; }

    /** Tasks built from users' sequences (as opposed to the catalog alone): these respect the split. */
    public boolean fromSequences() {
        return this == NEXT_ITEM || this == TOP_K || this == ITEM_TO_ITEM || this == TEXT_TO_ITEMS || this == ATTRIBUTE_STEERED
                || this == EXPLANATION;
    }

    public static InstructionTask fromName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (InstructionTask t : values()) if (t.cliName.equals(n)) return t;
        throw new IllegalArgumentException("unknown task \"" + name + "\"; expected one of " + names() + " or all");
    }

    /** Parses a comma-separated list of task names; {@code all} means every task. */
    public static Set<InstructionTask> parseList(String list) {
        Set<InstructionTask> out = EnumSet.noneOf(InstructionTask.class);
        for (String part : list.split(",")) {
            if (part.isBlank()) continue;
            if (part.trim().equalsIgnoreCase("all")) return EnumSet.allOf(InstructionTask.class);
            out.add(fromName(part));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no task given; expected some of " + names());
        return out;
    }

    public static String names() {
        return Arrays.stream(values()).map(InstructionTask::cliName).collect(Collectors.joining(", "));
    }
}
