package dev.sidflow.embed;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Pretrained sentence encoders whose ONNX model and tokenizer.json ship as classpath resources in
 * the langchain4j embedding jars (only their resources are used, never their runtime).
 */
public enum KnownEncoder {
    /** all-MiniLM-L6-v2, fp32: mean pooling, 384 dims. */
    MINILM_L6_V2("minilm-l6-v2", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", Pooling.MEAN, 384, 256),
    /** all-MiniLM-L6-v2, int8 dynamically quantized: about 3x smaller, faster on CPU. */
    MINILM_L6_V2_Q("minilm-l6-v2-q", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", Pooling.MEAN, 384, 256),
    /** BAAI bge-small-en-v1.5, int8 quantized: CLS pooling, 384 dims. */
    BGE_SMALL_EN_V15_Q("bge-small-en-v15-q", "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json", Pooling.CLS, 384, 512);

    private final String id;
    private final String modelResource;
    private final String tokenizerResource;
    private final Pooling pooling;
    private final int dim;
    private final int maxPositions;

    KnownEncoder(String id, String modelResource, String tokenizerResource, Pooling pooling, int dim, int maxPositions) {
        this.id = id;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        this.pooling = pooling;
        this.dim = dim;
        this.maxPositions = maxPositions;
    }

    /** Short stable name used on the command line and in cache keys, e.g. {@code minilm-l6-v2-q}. */
    public String id() { return id; }
    public String modelResource() { return modelResource; }
    public String tokenizerResource() { return tokenizerResource; }
    public Pooling pooling() { return pooling; }
    public int dim() { return dim; }
    /** Longest input (in tokens) the model was trained for; longer inputs are truncated. */
    public int maxPositions() { return maxPositions; }

    /** Looks up an encoder by its {@link #id()} or enum name, case-insensitively. */
    public static KnownEncoder byId(String name) {
        for (KnownEncoder e : values()) {
            if (e.id.equalsIgnoreCase(name) || e.name().equalsIgnoreCase(name)) return e;
        }
        throw new IllegalArgumentException("unknown encoder '" + name + "'; known: "
                + Arrays.stream(values()).map(KnownEncoder::id).collect(Collectors.joining(", ")));
    }

    /** How token vectors become one sentence vector. */
    public enum Pooling {
        /** Average of the token vectors, padding excluded (sentence-transformers MiniLM). */
        MEAN,
        /** The first ([CLS]) token's vector (BGE). */
        CLS
    }
}
