package dev.sidflow.model;

import dev.sidflow.data.FileTrees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds another bundle's dense members to a bundle as further instances of its ensembles
 * ({@link MemberEnsembles}; `sidflow ensemble`). The other bundle must have been trained on the same
 * data (same catalog and fingerprint), e.g. by `sidflow train --only sasrec,llmemb` on a copy with
 * other seeds. The fusion weights are not touched: re-fit them afterwards (`sidflow eval --refit-fusion`).
 */
public final class DenseEnsembles {
    private DenseEnsembles() {}

    /** Members {@code add} takes, by their bundle directory names. */
    public static final List<String> MEMBERS = List.of(ModelBundle.SASREC, ModelBundle.LLMEMB);

    /** Refuses a bundle trained on other data: its item indices would name other items. */
    public static void requireSameData(ModelBundle bundle, ModelBundle other) {
        if (!bundle.itemIds().equals(other.itemIds()) || !bundle.manifest().dataFingerprint().equals(other.manifest().dataFingerprint())) {
            throw new IllegalArgumentException(other.dir() + " was trained on other data (fingerprint " + other.manifest().dataFingerprint()
                    + ", this bundle's " + bundle.manifest().dataFingerprint() + "): an ensemble needs models of the same catalog and data");
        }
    }

    /**
     * Copies {@code members} of {@code other} into {@code bundle} as the next free {@code <member>-N}
     * directories and lists them in the bundle's {@value ModelBundle#ENSEMBLES}.
     *
     * @return the ensembles as written
     */
    public static MemberEnsembles add(ModelBundle bundle, ModelBundle other, List<String> members) throws IOException {
        requireSameData(bundle, other);
        if (members.isEmpty()) throw new IllegalArgumentException("name the members to add: " + MEMBERS);
        for (String m : members) {
            if (!MEMBERS.contains(m)) throw new IllegalArgumentException("unknown member '" + m + "'; an ensemble takes " + MEMBERS);
            if (!Files.isDirectory(other.dir().resolve(m))) throw new IOException(other.dir() + " has no " + m);
        }
        MemberEnsembles ensembles = bundle.ensembles();
        List<Path> copied = new ArrayList<>();
        try {
            for (String m : members) {
                String dir = nextDir(bundle, m);
                Path tmp = bundle.dir().resolve(dir + ".new");
                FileTrees.delete(tmp);
                FileTrees.copy(other.dir().resolve(m), tmp);
                Files.move(tmp, bundle.dir().resolve(dir), StandardCopyOption.ATOMIC_MOVE);
                copied.add(bundle.dir().resolve(dir));
                ensembles = ensembles.with(m, dir);
            }
            bundle.writeEnsembles(ensembles);
        } catch (IOException | RuntimeException e) {
            for (Path p : copied) FileTrees.delete(p);
            throw e;
        }
        return ensembles;
    }

    /** The first free {@code <member>-N} directory of the bundle (N from 2). */
    static String nextDir(ModelBundle bundle, String member) {
        for (int n = 2; ; n++) {
            String name = MemberEnsembles.instanceDir(member, n);
            if (!Files.exists(bundle.dir().resolve(name))) return name;
        }
    }

}
