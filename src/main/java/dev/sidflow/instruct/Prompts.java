package dev.sidflow.instruct;

import dev.sidflow.sid.SemanticId;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The instruction texts of every task. One fixed template per task, so that a model fine-tuned on
 * the export is served with exactly the prompt it was trained on (see the LLM backend, which
 * builds its prompts with {@link #nextItem}).
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

    public static String attributeSteered(String attribute, String value) {
        return String.format(ATTRIBUTE_STEERED, attribute, value);
    }
}
