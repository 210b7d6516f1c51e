package dev.sidflow.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Weights of the served hybrid's members: the generator's beam log-probabilities, LLMEmb's and
 * ID-SASRec's log-softmax over the catalog. Non-negative and summing to 1, so every member's
 * log-probability stays on the same scale in the fused score.
 *
 * @param scoreDenseCandidates the generator also scores the dense members' candidates its beam
 *                             missed (its log-probability of their SIDs) instead of giving them the
 *                             beam's floor; costs the decoder one more pass per level
 */
public record FusionWeights(double generator, double llmEmb, double sasRec, boolean scoreDenseCandidates) {
    private static final double EPS = 1e-9;

    public FusionWeights {
        if (generator < -EPS || llmEmb < -EPS || sasRec < -EPS) {
            throw new IllegalArgumentException("fusion weights must be >= 0: " + generator + ", " + llmEmb + ", " + sasRec);
        }
        if (Math.abs(generator + llmEmb + sasRec - 1) > 1e-6) {
            throw new IllegalArgumentException("fusion weights must sum to 1: " + generator + " + " + llmEmb + " + " + sasRec);
        }
        generator = Math.max(0, generator);
        llmEmb = Math.max(0, llmEmb);
        sasRec = Math.max(0, sasRec);
    }

    /** Weights whose generator gives dense candidates outside its beam the floor score. */
    public FusionWeights(double generator, double llmEmb, double sasRec) {
        this(generator, llmEmb, sasRec, false);
    }

    /** The same weights with or without the generator scoring dense candidates. */
    public FusionWeights withScoredDenseCandidates(boolean score) {
        return new FusionWeights(generator, llmEmb, sasRec, score);
    }

    /** The two-member hybrid of bundles built before ID-SASRec joined the fusion. */
    public static FusionWeights generatorAndLlmEmb(double generatorWeight) {
        return new FusionWeights(generatorWeight, 1 - generatorWeight, 0);
    }

    public boolean usesGenerator() { return generator > EPS; }
    public boolean usesLlmEmb() { return llmEmb > EPS; }
    public boolean usesSasRec() { return sasRec > EPS; }

    /**
     * Every weight triple on the simplex with the given step, e.g. step 0.5 gives (1,0,0), (.5,.5,0),
     * (.5,0,.5), (0,1,0), (0,.5,.5), (0,0,1).
     */
    public static List<FusionWeights> grid(double step) {
        if (!(step > 0 && step <= 1)) throw new IllegalArgumentException("fusion step must be in (0, 1]: " + step);
        int n = (int) Math.round(1 / step);
        if (Math.abs(n * step - 1) > 1e-6) throw new IllegalArgumentException("1 must be a multiple of the fusion step: " + step);
        List<FusionWeights> out = new ArrayList<>();
        for (int g = n; g >= 0; g--) {
            for (int l = n - g; l >= 0; l--) {
                int s = n - g - l;
                out.add(new FusionWeights((double) g / n, (double) l / n, (double) s / n));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "generator %.3f, LLMEmb %.3f, ID-SASRec %.3f%s", generator, llmEmb, sasRec,
                scoreDenseCandidates ? " (generator scores dense candidates)" : "");
    }
}
