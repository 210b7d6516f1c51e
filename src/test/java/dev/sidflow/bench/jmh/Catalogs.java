package dev.sidflow.bench.jmh;

import dev.sidflow.model.TinyBundle;
import dev.sidflow.sid.SemanticId;
import dev.sidflow.sid.SidTrie;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Shared fixtures of the JMH benchmarks. */
final class Catalogs {
    /** Items in Amazon Video Games 2018: the default catalog size. */
    static final int VIDEO_GAMES_ITEMS = 16_859;

    private Catalogs() {}

    /** {@code n} distinct random SIDs (seeded), the shape of a real 3x256 catalog with dedup level 0. */
    static List<SemanticId> randomSids(int n, long seed) {
        Random r = new Random(seed);
        Set<SemanticId> seen = new HashSet<>();
        List<SemanticId> out = new ArrayList<>(n);
        while (out.size() < n) {
            SemanticId sid = new SemanticId(r.nextInt(256), r.nextInt(256), r.nextInt(256), 0);
            if (seen.add(sid)) out.add(sid);
        }
        return out;
    }

    static SidTrie trie(List<SemanticId> sids) {
        SidTrie t = new SidTrie();
        for (int i = 0; i < sids.size(); i++) t.put(sids.get(i), "item-" + i);
        return t;
    }

    /**
     * The bundle the model benchmarks load: {@code -Dsidflow.bench.bundle=DIR} (e.g. the Video Games
     * bundle), else a tiny bundle trained once (about 20 s) and kept under target/bench for later forks.
     */
    static synchronized Path bundle() {
        String given = System.getProperty("sidflow.bench.bundle");
        if (given != null && !given.isBlank()) return Path.of(given);
        Path kept = Path.of("target", "bench", "jmh-tiny-bundle");
        if (Files.isRegularFile(kept.resolve("manifest.json"))) return kept;
        Path built = TinyBundle.dir();
        try {
            Path tmp = Files.createTempDirectory(kept.getParent() == null ? Path.of(".") : createDirs(kept.getParent()), "tiny");
            try (var files = Files.walk(built)) {
                for (Path p : files.toList()) {
                    Path to = tmp.resolve(built.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(to);
                    else Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(tmp, kept, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return kept;
    }

    private static Path createDirs(Path p) throws IOException {
        return Files.createDirectories(p);
    }
}
