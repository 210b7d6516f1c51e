package dev.sidflow.model.generator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes TorchScript archives without Python: a {@code torch.jit.save} file is a zip with the
 * module's TorchScript source ({@code code/__torch__.py}), a pickle of the module object
 * ({@code data.pkl}), the constants table and a format version. PyTorch compiles the source on load.
 */
final class TorchScriptFixtures {
    private TorchScriptFixtures() {}

    /**
     * A parameter-free decoder-only "model" obeying the generator contract that predicts the last
     * history item again: input [..., A, B, C, D, REC, prefix...] always has the token of the level
     * being generated 5 positions from the end, so logits = 10 * one_hot(tokens[:, -5], 1028).
     */
    static void writeRepeatLastItem(Path file) throws IOException {
        String code = """
                class RepeatLast(Module):
                  __parameters__ = []
                  __buffers__ = []
                  training : bool
                  def forward(self: __torch__.RepeatLast,
                    tokens: Tensor) -> Tensor:
                    last = torch.select(tokens, 1, -5)
                    hot = torch.one_hot(last, 1028)
                    return torch.mul(hot, 10.)
                """;
        writeModule(file, "RepeatLast", code);
    }

    static void writeModule(Path file, String className, String code) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data.pkl", modulePickle(className));
        entries.put("archive/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
        entries.put("archive/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
        entries.put("archive/version", "3\n".getBytes(StandardCharsets.UTF_8));
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry ze = new ZipEntry(e.getKey());
                ze.setMethod(ZipEntry.STORED);
                ze.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                ze.setCrc(crc.getValue());
                zip.putNextEntry(ze);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    /** Pickle (protocol 2) of {@code __torch__.<className>} with state {training: False}. */
    private static byte[] modulePickle(String className) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(0x80);
        b.write(2); // PROTO 2
        b.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        b.write('q');
        b.write(0); // BINPUT 0
        b.write(')'); // EMPTY_TUPLE
        b.write(0x81); // NEWOBJ
        b.write('}'); // EMPTY_DICT
        b.write('('); // MARK
        byte[] key = "training".getBytes(StandardCharsets.UTF_8);
        b.write('X'); // BINUNICODE
        b.write(key.length);
        b.write(0);
        b.write(0);
        b.write(0);
        b.writeBytes(key);
        b.write('q');
        b.write(1); // BINPUT 1
        b.write(0x89); // NEWFALSE
        b.write('u'); // SETITEMS
        b.write('b'); // BUILD
        b.write('q');
        b.write(2); // BINPUT 2
        b.write('.'); // STOP
        return b.toByteArray();
    }
}
