package dev.sidflow.instruct;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/** The two dataset formats LLaMA-Factory reads, and the dataset_info.json entry each one needs. */
public enum InstructionFormat {
    /** {@code {"instruction", "input", "output", "system"?}}. */
    ALPACA,
    /** {@code {"conversations": [{"from": "human", "value"}, {"from": "gpt", "value"}], "system"?}}. */
    SHAREGPT;

    private static final ObjectMapper JSON = new ObjectMapper();

    public static InstructionFormat fromName(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format \"" + name + "\"; expected alpaca or sharegpt");
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** One record as a JSON object; {@code system} is left out when null or blank. */
    public ObjectNode toJson(InstructionRecord r, String system) {
        ObjectNode o = JSON.createObjectNode();
        if (this == ALPACA) {
            o.put("instruction", r.instruction());
            o.put("input", r.input());
            o.put("output", r.output());
        } else {
            var turns = o.putArray("conversations");
            turns.addObject().put("from", "human").put("value", r.userMessage());
            turns.addObject().put("from", "gpt").put("value", r.output());
        }
        if (system != null && !system.isBlank()) o.put("system", system);
        return o;
    }

    /** The entry LLaMA-Factory's data/dataset_info.json needs for a file in this format. */
    public ObjectNode datasetInfo(String fileName, boolean withSystem) {
        ObjectNode info = JSON.createObjectNode();
        info.put("file_name", fileName);
        info.put("formatting", cliName());
        ObjectNode columns = info.putObject("columns");
        if (this == ALPACA) {
            columns.put("prompt", "instruction");
            columns.put("query", "input");
            columns.put("response", "output");
        } else {
            columns.put("messages", "conversations");
            ObjectNode tags = info.putObject("tags");
            tags.put("role_tag", "from");
            tags.put("content_tag", "value");
            tags.put("user_tag", "human");
            tags.put("assistant_tag", "gpt");
        }
        if (withSystem) columns.put("system", "system");
        return info;
    }
}
