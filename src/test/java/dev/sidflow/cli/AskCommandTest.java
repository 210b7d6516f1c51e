package dev.sidflow.cli;

import dev.sidflow.data.DatasetStore;
import dev.sidflow.data.Item;
import dev.sidflow.model.TinyBundle;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sidflow ask} one-shot on a real tiny bundle: titles in, titled answers with reasons out. */
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
