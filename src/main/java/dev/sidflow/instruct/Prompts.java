package dev.sidflow.instruct;

import dev.sidflow.sid.SemanticId;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The instruction texts of every task. One fixed template per task, so that a model fine-tuned on
 * the export is served with exactly the prompt it was trained on: the LLM backend asks its
 * questions with the {@code *Question} methods, which are the export's records without an answer.
 */
public final class Prompts {
    public static final String NEXT_ITEM = "Here are the items a user interacted with, oldest first. "
            + "Predict the next item the user will interact with.";
    public static final String TOP_K = "Here are the items a user interacted with, oldest first, followed by candidate items. "
            + "Rank the candidates from most to least likely to be the user's next item.";
    public static final String ITEM_TO_ITEM = "Users who interacted with this item, which items did they interact with next? "
            + "List them, most frequent first.";
    public static final String TITLE_TO_SID = "Which item has this title?";
    public static final String SID_TO_TITLE = "What is the title of this item?";
    public static final String TEXT_TO_SID = "Which item does this description belong to?";
    public static final String TEXT_TO_ITEMS = "Which items match this request? List them, most popular first.";
    public static final String ATTRIBUTE_STEERED = "Here are the items a user interacted with, oldest first. "
            + "Predict the next item the user will interact with, given that its %s is \"%s\".";
    public static final String EXPLANATION = "Here are the items a user interacted with, oldest first, and an item recommended to them. "
            + "Explain the recommendation using only facts about these items.";

    private Prompts() {}

    /** SIDs in their exact token form, comma separated. */
    public static String sidList(List<SemanticId> sids) {
        return sids.stream().map(SemanticId::toString).collect(Collectors.joining(", "));
    }

    /** The next-item task's prompt for a history (oldest first). */
    public static InstructionRecord nextItem(List<SemanticId> history, SemanticId next) {
        return new InstructionRecord(InstructionTask.NEXT_ITEM, NEXT_ITEM, sidList(history), next == null ? "" : next.toString());
    }

    /** The user turn a fine-tuned model is asked at serving time: the next-item prompt without an answer. */
    public static String nextItemQuestion(List<SemanticId> history) {
        return nextItem(history, null).userMessage();
    }

    /** The item-to-item task's prompt for an item, with the items users took right after it (most often first). */
    public static InstructionRecord itemToItem(SemanticId item, List<SemanticId> next) {
        return new InstructionRecord(InstructionTask.ITEM_TO_ITEM, ITEM_TO_ITEM, item.toString(), sidList(next));
    }

    public static String itemToItemQuestion(SemanticId item) {
        return itemToItem(item, List.of()).userMessage();
    }

    /** The attribute-steered task's prompt: a history and one attribute the next item has. */
    public static InstructionRecord attributeSteered(List<SemanticId> history, String attribute, String value, SemanticId next) {
        return new InstructionRecord(InstructionTask.ATTRIBUTE_STEERED, String.format(ATTRIBUTE_STEERED, attribute, value),
                sidList(history), next == null ? "" : next.toString());
    }

    public static String attributeSteeredQuestion(List<SemanticId> history, String attribute, String value) {
        return attributeSteered(history, attribute, value, null).userMessage();
    }

    /** The text-to-items task's prompt: a request in words and the items that match it, most popular first. */
    public static InstructionRecord textToItems(String request, List<SemanticId> items) {
        return new InstructionRecord(InstructionTask.TEXT_TO_ITEMS, TEXT_TO_ITEMS, request, sidList(items));
    }

    public static String textToItemsQuestion(String request) {
        return textToItems(request, List.of()).userMessage();
    }
}
