package dev.sidflow.cli;

import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.Item;
import dev.sidflow.model.TinyBundle;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sidflow ask} on a real tiny bundle, one-shot and at its prompt: titles in, titled answers with reasons out. */
class AskCommandTest {

    private record Run(int code, String out, String err) {}

    private static Run ask(String... args) {
        CommandLine cl = SidflowCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 5];
        all[0] = "ask";
        all[1] = "--bundle";
        all[2] = TinyBundle.dir().toString();
        all[3] = "--top";
        all[4] = "4";
        System.arraycopy(args, 0, all, 5, args.length);
        return new Run(cl.execute(all), out.toString(), err.toString());
    }

    @Test
    void aTitleAndAPlatformGiveASteeredAnswerWithTitlesAndReasons() throws Exception {
        Item seed = DatasetStore.read(TinyBundle.data()).items().stream()
                .filter(i -> "PC".equals(i.attributes().get("platform")) && "game".equals(i.attributes().get("kind")))
                .findFirst().orElseThrow();
        Run r = ask("Xbox", "games", "similar", "to", "\"" + seed.title() + "\"");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("'" + seed.title() + "' = item " + seed.itemId())
                .contains("steered like '" + seed.title() + "', platform=Xbox  (4 items")
                .contains("<|sid_start|>");
        assertThat(r.out().lines().filter(l -> l.matches("\\s+\\d\\. .*"))).hasSize(4)
                .allSatisfy(l -> assertThat(l).contains("Xbox"));
        assertThat(r.out().lines().filter(l -> l.strip().startsWith("why: "))).hasSize(4)
                .allSatisfy(l -> assertThat(l).endsWith("matches platform=Xbox"));
    }

    @Test
    void thePromptFollowsUpThePreviousTurnUntilReset() throws Exception {
        Item seed = DatasetStore.read(TinyBundle.data()).items().stream()
                .filter(i -> "PC".equals(i.attributes().get("platform")) && "game".equals(i.attributes().get("kind")))
                .findFirst().orElseThrow();
        String typed = String.join("\n", "more like \"" + seed.title() + "\"", "now for Xbox", ":reset", "now for Xbox", ":quit",
                "never read");
        CommandLine cl = new CommandLine(new AskCommand(new StringReader(typed)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("--bundle", TinyBundle.dir().toString(), "--top", "3")).as(err.toString()).isZero();
        List<String> headings = out.toString().lines().map(l -> l.replace("ask> ", ""))
                .filter(l -> l.matches("(similar|steered|next|text).*\\(\\d+ items.*") || l.contains("(new session)")).toList();
        assertThat(headings).hasSize(4);
        assertThat(headings.get(0)).startsWith("similar like '" + seed.title() + "'  (3 items");
        // the follow-up keeps the seed and adds the platform
        assertThat(headings.get(1)).startsWith("steered like '" + seed.title() + "', platform=Xbox  (3 items");
        assertThat(headings.get(2)).contains("(new session)");
        // after :reset the same words have no seed to follow up: the most popular Xbox items
        assertThat(headings.get(3)).startsWith("steered, platform=Xbox  (3 items");
        List<String> ranked = out.toString().lines().filter(l -> l.matches("\\s+\\d\\. .*")).toList();
        assertThat(ranked).hasSize(9);
        assertThat(ranked.subList(3, 9)).allSatisfy(l -> assertThat(l).contains("Xbox"));
        assertThat(out.toString()).doesNotContain("never read");
    }

    @Test
    void unknownTitlesAndAttributesAreClearErrors() {
        Run r = ask("more", "like", "\"Zelda Breath of the Wild\"");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: unknown title 'Zelda Breath of the Wild'");
        Run attr = ask("--where", "colour=red", "racing", "games");
        assertThat(attr.code()).isEqualTo(2);
        assertThat(attr.err()).contains("error: unknown attribute 'colour'; known: brand, category");
        Run hist = ask("--history", "no-such-item", "anything");
        assertThat(hist.code()).isEqualTo(1);
        assertThat(hist.err()).contains("unknown title 'no-such-item'");
    }
}
