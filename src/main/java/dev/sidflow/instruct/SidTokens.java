package dev.sidflow.instruct;

import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCodec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The special tokens a tokenizer needs to read and write SIDs: {@code <|sid_start|>},
 * {@code <|sid_end|>}, {@code <|rec|>} and the 1,024 code tokens {@code <|sid_0|>..<|sid_1023|>}
 * (all of them, so one tokenizer fits every bundle).
 */
public final class SidTokens {
    private SidTokens() {}

    public static List<String> all() {
        List<String> out = new ArrayList<>(SidCodec.TOKEN_COUNT + 3);
        out.add(SidCodec.START);
        out.add(SidCodec.END);
        out.add(SidCodec.REC);
        for (int t = 0; t < SidCodec.TOKEN_COUNT; t++) out.add(SidCodec.token(t));
        return out;
    }

    /** One token per line (e.g. for {@code tokenizer.add_special_tokens} or LLaMA-Factory's add_special_tokens). */
    public static void writeList(Path file) throws IOException {
        Files.write(file, all(), StandardCharsets.UTF_8);
    }

    /**
     * LLaMA-Factory's {@code new_special_tokens_config} form: token -> description, so the new
     * embeddings can be initialised from the descriptions ({@code init_special_tokens: desc_init}).
     */
    public static void writeDescribed(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# sidflow semantic-ID tokens: <|sid_start|> L1 L2 L3 L4 <|sid_end|>");
        lines.add("\"" + SidCodec.START + "\": \"start of an item's semantic ID\"");
        lines.add("\"" + SidCodec.END + "\": \"end of an item's semantic ID\"");
        lines.add("\"" + SidCodec.REC + "\": \"recommendation request\"");
        for (int t = 0; t < SidCodec.TOKEN_COUNT; t++) {
            int level = SidCodec.levelOf(t);
            int code = t - (level - 1) * SemanticId.CODEBOOK_SIZE;
            String what = level == SemanticId.LEVELS ? "semantic ID level 4 (tells apart items sharing levels 1-3), index " + code
                    : "semantic ID level " + level + ", code " + code;
            lines.add("\"" + SidCodec.token(t) + "\": \"" + what + "\"");
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
