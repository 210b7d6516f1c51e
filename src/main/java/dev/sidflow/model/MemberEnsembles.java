package dev.sidflow.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A bundle's {@value ModelBundle#ENSEMBLES}: the directories of each dense member's instances,
 * scored together as an ensemble (the mean of their log-softmaxes). The first of each list is the
 * bundle's own ({@value ModelBundle#SASREC}, {@value ModelBundle#LLMEMB}); `sidflow ensemble` adds
 * others. Without the file, each member is its own directory alone.
 */
public record MemberEnsembles(List<String> sasrec, List<String> llmemb) {
    public MemberEnsembles {
        sasrec = sasrec == null || sasrec.isEmpty() ? List.of(ModelBundle.SASREC) : List.copyOf(sasrec);
        llmemb = llmemb == null || llmemb.isEmpty() ? List.of(ModelBundle.LLMEMB) : List.copyOf(llmemb);
    }

    /** The directory of {@code member}'s n-th instance (1: the bundle's own, then {@code <member>-n}). */
    public static String instanceDir(String member, int n) {
        return n == 1 ? member : member + "-" + n;
    }

    /** Every member alone. */
    public static MemberEnsembles single() {
        return new MemberEnsembles(List.of(), List.of());
    }

    /** The instance directories of {@code member} ({@code sasrec} or {@code llmemb}). */
    public List<String> of(String member) {
        return switch (member) {
            case ModelBundle.SASREC -> sasrec;
            case ModelBundle.LLMEMB -> llmemb;
            default -> throw new IllegalArgumentException("unknown dense member '" + member + "'; known: sasrec, llmemb");
        };
    }

    /** These lists with {@code dir} appended to {@code member}'s. */
    public MemberEnsembles with(String member, String dir) {
        List<String> s = new java.util.ArrayList<>(sasrec);
        List<String> l = new java.util.ArrayList<>(llmemb);
        if (member.equals(ModelBundle.SASREC)) s.add(dir);
        else if (member.equals(ModelBundle.LLMEMB)) l.add(dir);
        else throw new IllegalArgumentException("unknown dense member '" + member + "'; known: sasrec, llmemb");
        return new MemberEnsembles(s, l);
    }

    void validate(Path file) throws IOException {
        for (String member : List.of(ModelBundle.SASREC, ModelBundle.LLMEMB)) {
            List<String> dirs = of(member);
            if (!dirs.get(0).equals(member)) throw new IOException(file + ": the first " + member + " must be the bundle's own '" + member + "'");
            Set<String> seen = new HashSet<>();
            for (String d : dirs) {
                if (d == null || d.isBlank() || d.contains("/") || d.contains("\\") || d.startsWith(".")) {
                    throw new IOException(file + ": an instance must be a directory of the bundle, not '" + d + "'");
                }
                if (!seen.add(d)) throw new IOException(file + ": '" + d + "' listed twice");
            }
        }
    }
}
