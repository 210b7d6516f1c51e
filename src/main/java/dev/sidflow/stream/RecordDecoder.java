package dev.sidflow.stream;

import java.io.Serializable;

/** Turns the bytes of one input record into a typed record; throws on anything malformed. */
@FunctionalInterface
public interface RecordDecoder<T> extends Serializable {
    T decode(byte[] bytes) throws Exception;
}
