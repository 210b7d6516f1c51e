package dev.sidflow.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/**
 * Turns a batch of texts into one L2-normalized sentence vector each: tokenizes (truncating to the
 * max length, padding to the longest text of the batch), feeds input_ids / attention_mask /
 * token_type_ids to the BERT-style ONNX model, and pools its last hidden state.
 *
 * <p>Pooling is done in Java on the copied-out hidden state: the ONNX Runtime engine has few
 * NDArray operators of its own, and this keeps the result independent of any other DJL engine.
 * The tokenizer is shared by all predictors (the Rust tokenizer encodes concurrently).
 */
final class SentenceTranslator implements NoBatchifyTranslator<String[], float[][]> {
    private static final String MASK = "attention_mask";
    private final HuggingFaceTokenizer tokenizer;
    private final KnownEncoder.Pooling pooling;

    SentenceTranslator(HuggingFaceTokenizer tokenizer, KnownEncoder.Pooling pooling) {
        this.tokenizer = tokenizer;
        this.pooling = pooling;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String[] texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int batch = encodings.length;
        int len = 0;
        for (Encoding e : encodings) len = Math.max(len, e.getIds().length);
        long[] ids = new long[batch * len];
        long[] mask = new long[batch * len];
        long[] types = new long[batch * len];
        for (int b = 0; b < batch; b++) {
            // the tokenizer already pads to the batch's longest; copy defensively by each row's length
            long[] rowIds = encodings[b].getIds();
            System.arraycopy(rowIds, 0, ids, b * len, rowIds.length);
            System.arraycopy(encodings[b].getAttentionMask(), 0, mask, b * len, rowIds.length);
            System.arraycopy(encodings[b].getTypeIds(), 0, types, b * len, rowIds.length);
        }
        ctx.setAttachment(MASK, mask);
        NDManager m = ctx.getNDManager();
        Shape shape = new Shape(batch, len);
        NDArray inputIds = m.create(ids, shape);
        inputIds.setName("input_ids");
        NDArray attention = m.create(mask, shape);
        attention.setName(MASK);
        NDArray typeIds = m.create(types, shape);
        typeIds.setName("token_type_ids");
        return new NDList(inputIds, attention, typeIds);
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList output) {
        NDArray hidden = output.get("last_hidden_state");
        if (hidden == null) hidden = output.get(0);
        Shape s = hidden.getShape();
        int batch = (int) s.get(0);
        int len = (int) s.get(1);
        int dim = (int) s.get(2);
        float[] h = hidden.toFloatArray();
        long[] mask = (long[]) ctx.getAttachment(MASK);
        float[][] out = new float[batch][];
        for (int b = 0; b < batch; b++) {
            out[b] = pool(h, mask, b, len, dim);
        }
        return out;
    }

    private float[] pool(float[] h, long[] mask, int b, int len, int dim) {
        double[] acc = new double[dim];
        if (pooling == KnownEncoder.Pooling.CLS) {
            int base = b * len * dim;
            for (int d = 0; d < dim; d++) acc[d] = h[base + d];
        } else {
            int count = 0;
            for (int t = 0; t < len; t++) {
                if (mask[b * len + t] == 0) continue;
                count++;
                int base = (b * len + t) * dim;
                for (int d = 0; d < dim; d++) acc[d] += h[base + d];
            }
            for (int d = 0; d < dim; d++) acc[d] /= Math.max(1, count);
        }
        double norm = 0;
        for (double v : acc) norm += v * v;
        norm = Math.sqrt(norm);
        float[] v = new float[dim];
        for (int d = 0; d < dim; d++) v[d] = (float) (norm > 0 ? acc[d] / norm : 0);
        return v;
    }

    @Override
    public Batchifier getBatchifier() {
        return null;
    }
}
