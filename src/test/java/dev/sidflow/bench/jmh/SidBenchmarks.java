package dev.sidflow.bench.jmh;

import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidCatalog;
import dev.sidflow.sid.SidCodec;
import dev.sidflow.sid.SidTrie;
import dev.sidflow.sid.TitleMapper;
import dev.sidflow.sid.TitleMatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** SID codec, trie and title mapping on a catalog the size of Video Games (16,859 SIDs). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SidBenchmarks {
    private List<SemanticId> sids;
    private String[] texts;
    private SidTrie trie;
    private TitleMapper titles;
    private SemanticId unknownTail;
    private int i;

    @Setup
    public void setUp() {
        sids = Catalogs.randomSids(Catalogs.VIDEO_GAMES_ITEMS, 7);
        texts = sids.stream().map(SidCodec::encode).toArray(String[]::new);
        trie = Catalogs.trie(sids);
        Map<String, SemanticId> byId = new HashMap<>();
        Map<String, String> titleOf = new HashMap<>();
        for (int k = 0; k < sids.size(); k++) {
            byId.put("item-" + k, sids.get(k));
            titleOf.put("item-" + k, "Title " + k);
        }
        titles = TitleMapper.of(SidCatalog.of(byId, titleOf), TitleMapper.DEFAULT_MAX_TITLES);
        SemanticId s = sids.get(0);
        unknownTail = new SemanticId(s.c1(), s.c2(), s.c3(), 255); // L3 prefix match, unknown dedup code
    }

    private int next() {
        i = (i + 1) % texts.length;
        return i;
    }

    @Benchmark
    public SemanticId codecParse() {
        return SidCodec.parse(texts[next()]);
    }

    @Benchmark
    public String codecFormat() {
        return SidCodec.encode(sids.get(next()));
    }

    @Benchmark
    public String trieItemLookup() {
        return trie.itemId(sids.get(next()));
    }

    @Benchmark
    public int[] trieAllowedNextAfterTwoLevels() {
        SemanticId s = sids.get(next());
        return trie.allowedNext(s.c1(), s.c2());
    }

    @Benchmark
    public TitleMatch titleExact() {
        return titles.map(sids.get(next()));
    }

    @Benchmark
    public TitleMatch titlePrefixFallback() {
        return titles.map(unknownTail);
    }
}
