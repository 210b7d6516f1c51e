package dev.sidflow.stream.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * "Friendly" JSON for an Avro SpecificRecord: one JSON object with the schema's snake_case field names.
 * Unlike Avro's own JSON encoding, nullable unions are written as the bare value or {@code null}
 * (not {@code {"string": "x"}}), enums as their symbol, bytes as base64 and timestamp-millis as epoch
 * milliseconds (ISO-8601 text is also accepted when reading). Missing fields take their schema default;
 * unknown fields are ignored so that newer writers stay readable. See docs/wire-format.md.
 */
public final class FriendlyJsonCodec<T extends SpecificRecord> implements RecordCodec<T> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Class<T> recordClass;
    private transient volatile SpecificData model;

    public FriendlyJsonCodec(Class<T> recordClass) {
        this.recordClass = Objects.requireNonNull(recordClass, "recordClass");
    }

    private SpecificData model() {
        SpecificData m = model;
        if (m == null) {
            m = SpecificData.getForClass(recordClass);
            model = m;
        }
        return m;
    }

    private Schema schema() {
        return model().getSchema(recordClass);
    }

    @Override
    public byte[] encode(T record) {
        try {
            return MAPPER.writeValueAsBytes(toJson(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + recordClass.getSimpleName(), e);
        }
    }

    /** The record as a JSON tree (used by `sidflow tail --format json` printing too). */
    public JsonNode toJson(T record) {
        return write(record, schema());
    }

    @Override
    public T decode(byte[] bytes) {
        String type = recordClass.getSimpleName();
        if (bytes == null) throw new RecordDecodeException(type, WireFormat.JSON, "null value", null);
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (IOException e) {
            String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new RecordDecodeException(type, WireFormat.JSON, "not valid JSON: " + msg, e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new RecordDecodeException(type, WireFormat.JSON, "empty value", null);
        }
        try {
            @SuppressWarnings("unchecked")
            T record = (T) read(tree, schema(), "$");
            return record;
        } catch (BadJson e) {
            throw new RecordDecodeException(type, WireFormat.JSON, e.getMessage(), null);
        } catch (RuntimeException e) {
            throw new RecordDecodeException(type, WireFormat.JSON, AvroBinaryCodec.describe(e), e);
        }
    }

    // ---- writing ----------------------------------------------------------------------------

    private JsonNode write(Object datum, Schema schema) {
        datum = toRaw(datum, schema);
        switch (schema.getType()) {
            case RECORD -> {
                IndexedRecord rec = (IndexedRecord) datum;
                ObjectNode obj = NODES.objectNode();
                for (Schema.Field f : schema.getFields()) {
                    obj.set(f.name(), write(rec.get(f.pos()), f.schema()));
                }
                return obj;
            }
            case UNION -> {
                if (datum == null) return NODES.nullNode();
                int branch = model().resolveUnion(schema, datum);
                return write(datum, schema.getTypes().get(branch));
            }
            case ENUM, STRING -> { return NODES.textNode(datum.toString()); }
            case ARRAY -> {
                ArrayNode arr = NODES.arrayNode();
                for (Object element : (Iterable<?>) datum) arr.add(write(element, schema.getElementType()));
                return arr;
            }
            case MAP -> {
                ObjectNode obj = NODES.objectNode();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) datum).entrySet()) {
                    obj.set(e.getKey().toString(), write(e.getValue(), schema.getValueType()));
                }
                return obj;
            }
            case BYTES -> {
                ByteBuffer buf = ((ByteBuffer) datum).duplicate();
                byte[] b = new byte[buf.remaining()];
                buf.get(b);
                return NODES.textNode(Base64.getEncoder().encodeToString(b));
            }
            case FIXED -> { return NODES.textNode(Base64.getEncoder().encodeToString(((GenericFixed) datum).bytes())); }
            case INT -> { return NODES.numberNode((Integer) datum); }
            case LONG -> { return NODES.numberNode((Long) datum); }
            case FLOAT -> { return NODES.numberNode((Float) datum); }
            case DOUBLE -> { return NODES.numberNode((Double) datum); }
            case BOOLEAN -> { return NODES.booleanNode((Boolean) datum); }
            case NULL -> { return NODES.nullNode(); }
            default -> throw new IllegalStateException("unsupported schema type " + schema.getType());
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object toRaw(Object datum, Schema schema) {
        LogicalType lt = schema.getLogicalType();
        if (datum == null || lt == null) return datum;
        Conversion conv = model().getConversionFor(lt);
        if (conv == null || !conv.getConvertedType().isInstance(datum)) return datum;
        return Conversions.convertToRawType(datum, schema, lt, conv);
    }

    // ---- reading ----------------------------------------------------------------------------

    /** A JSON value that does not fit the schema; the message names the JSON path. */
    private static final class BadJson extends RuntimeException {
        BadJson(String message) { super(message, null, false, false); }
    }

    private Object read(JsonNode node, Schema schema, String path) {
        Object raw = readRaw(node, schema, path);
        return fromRaw(raw, schema);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object fromRaw(Object raw, Schema schema) {
        LogicalType lt = schema.getLogicalType();
        if (raw == null || lt == null) return raw;
        Conversion conv = model().getConversionFor(lt);
        if (conv == null) return raw;
        return Conversions.convertToLogicalType(raw, schema, lt, conv);
    }

    private Object readRaw(JsonNode node, Schema schema, String path) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!node.isObject()) throw bad(path, "expected an object", node);
                IndexedRecord rec = (IndexedRecord) model().newRecord(null, schema);
                for (Schema.Field f : schema.getFields()) {
                    JsonNode v = node.get(f.name());
                    Object value;
                    if (v == null) {
                        if (!f.hasDefaultValue()) throw new BadJson("missing required field " + path + "." + f.name());
                        value = model().deepCopy(f.schema(), model().getDefaultValue(f));
                    } else {
                        value = read(v, f.schema(), path + "." + f.name());
                    }
                    rec.put(f.pos(), value);
                }
                return rec;
            }
            case UNION -> {
                List<Schema> branches = schema.getTypes();
                if (node.isNull()) {
                    for (Schema b : branches) if (b.getType() == Schema.Type.NULL) return null;
                    throw bad(path, "null is not allowed", node);
                }
                List<Schema> candidates = branches.stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
                BadJson first = null;
                for (Schema b : candidates) {
                    try {
                        return read(node, b, path);
                    } catch (BadJson e) {
                        if (first == null) first = e;
                    }
                }
                throw first != null ? first : bad(path, "no union branch fits", node);
            }
            case ENUM -> {
                if (!node.isTextual()) throw bad(path, "expected one of " + schema.getEnumSymbols(), node);
                if (!schema.hasEnumSymbol(node.textValue())) {
                    throw bad(path, "expected one of " + schema.getEnumSymbols(), node);
                }
                return model().createEnum(node.textValue(), schema);
            }
            case ARRAY -> {
                if (!node.isArray()) throw bad(path, "expected an array", node);
                List<Object> list = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) list.add(read(node.get(i), schema.getElementType(), path + "[" + i + "]"));
                return list;
            }
            case MAP -> {
                if (!node.isObject()) throw bad(path, "expected an object (map)", node);
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    map.put(e.getKey(), read(e.getValue(), schema.getValueType(), path + "." + e.getKey()));
                }
                return map;
            }
            case STRING -> {
                if (!node.isTextual()) throw bad(path, "expected a string", node);
                return node.textValue();
            }
            case BYTES -> {
                if (!node.isTextual()) throw bad(path, "expected base64 text", node);
                try {
                    return ByteBuffer.wrap(Base64.getDecoder().decode(node.textValue()));
                } catch (IllegalArgumentException e) {
                    throw bad(path, "invalid base64", node);
                }
            }
            case FIXED -> {
                if (!node.isTextual()) throw bad(path, "expected base64 text", node);
                byte[] b = Base64.getDecoder().decode(node.textValue());
                if (b.length != schema.getFixedSize()) throw bad(path, "expected " + schema.getFixedSize() + " bytes", node);
                return model().createFixed(null, b, schema);
            }
            case INT -> {
                if (!node.isIntegralNumber() || !node.canConvertToInt()) throw bad(path, "expected an int", node);
                return node.intValue();
            }
            case LONG -> {
                if (node.isTextual() && schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    try {
                        return Instant.parse(node.textValue()).toEpochMilli();
                    } catch (DateTimeParseException e) {
                        throw bad(path, "expected epoch milliseconds or an ISO-8601 instant", node);
                    }
                }
                if (!node.isIntegralNumber() || !node.canConvertToLong()) throw bad(path, "expected a long", node);
                return node.longValue();
            }
            case FLOAT -> {
                if (!node.isNumber()) throw bad(path, "expected a number", node);
                return node.floatValue();
            }
            case DOUBLE -> {
                if (!node.isNumber()) throw bad(path, "expected a number", node);
                return node.doubleValue();
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) throw bad(path, "expected true or false", node);
                return node.booleanValue();
            }
            case NULL -> {
                if (!node.isNull()) throw bad(path, "expected null", node);
                return null;
            }
            default -> throw new IllegalStateException("unsupported schema type " + schema.getType());
        }
    }

    private static BadJson bad(String path, String expectation, JsonNode got) {
        String shown = got.toString();
        if (shown.length() > 60) shown = shown.substring(0, 57) + "...";
        return new BadJson(path + ": " + expectation + ", got " + shown);
    }

    @Override
    public Class<T> recordClass() { return recordClass; }

    @Override
    public WireFormat format() { return WireFormat.JSON; }
}
