package dev.prune4j.model.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.ModelFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed JSON header of a safetensors file: the {@code __metadata__} strings and the tensor entries, validated
 * against the size of the data section that follows the header.
 */
record SafetensorsHeader(Map<String, String> metadata, Map<String, SafetensorsTensorInfo> tensors) {
    static final String METADATA_KEY = "__metadata__";
    /** The reference implementation refuses headers above 100 MB; so do we, before allocating. */
    static final long MAX_HEADER_BYTES = 100_000_000;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    static SafetensorsHeader parse(Path path, byte[] json, long dataBytes) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw ModelFormatException.of(path, "safetensors header is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ModelFormatException.of(path, "safetensors header cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw ModelFormatException.of(path, "safetensors header is not a JSON object");
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, SafetensorsTensorInfo> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().equals(METADATA_KEY)) {
                metadata = metadata(path, e.getValue());
            } else {
                tensors.put(e.getKey(), tensor(path, e.getKey(), e.getValue(), dataBytes));
            }
        }
        checkNoOverlap(path, tensors);
        return new SafetensorsHeader(Collections.unmodifiableMap(metadata), Collections.unmodifiableMap(tensors));
    }

    private static Map<String, String> metadata(Path path, JsonNode node) {
        if (!node.isObject()) throw ModelFormatException.of(path, METADATA_KEY + " must be an object of strings");
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw ModelFormatException.of(path, METADATA_KEY + "." + e.getKey() + " must be a string, found " + e.getValue());
            }
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }

    private static SafetensorsTensorInfo tensor(Path path, String name, JsonNode node, long dataBytes) {
        String what = "tensor " + name + ": ";
        if (!node.isObject()) throw ModelFormatException.of(path, what + "entry is not an object");
        JsonNode dtypeNode = node.get("dtype");
        SafetensorsDtype dtype = dtypeNode != null && dtypeNode.isTextual() ? SafetensorsDtype.parse(dtypeNode.asText()) : null;
        if (dtype == null) {
            throw ModelFormatException.of(path, what + "unknown dtype " + dtypeNode + " (known: "
                    + java.util.Arrays.toString(SafetensorsDtype.values()) + ")");
        }
        long[] shape = longs(path, what + "shape", node.get("shape"), -1);
        long[] offsets = longs(path, what + "data_offsets", node.get("data_offsets"), 2);
        long elements = 1;
        for (long d : shape) {
            if (d < 0 || (d > 0 && elements > Long.MAX_VALUE / d / dtype.size)) {
                throw ModelFormatException.of(path, what + "implausible shape " + java.util.Arrays.toString(shape));
            }
            elements *= d;
        }
        long begin = offsets[0], end = offsets[1];
        if (begin < 0 || end < begin || end > dataBytes) {
            throw ModelFormatException.of(path, what + "data_offsets [" + begin + ", " + end + "] outside the data section of "
                    + dataBytes + " bytes (truncated file?)");
        }
        if (end - begin != elements * dtype.size) {
            throw ModelFormatException.of(path, what + "data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
                    + " bytes but shape " + java.util.Arrays.toString(shape) + " of " + dtype + " needs " + elements * dtype.size);
        }
        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    /** An array of non-negative integers; {@code length} -1 allows any length. */
    private static long[] longs(Path path, String what, JsonNode node, int length) {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            throw ModelFormatException.of(path, what + " must be an array" + (length >= 0 ? " of " + length : "") + " integers, found " + node);
        }
        long[] a = new long[node.size()];
        for (int i = 0; i < a.length; i++) {
            JsonNode x = node.get(i);
            if (!x.canConvertToExactIntegral() || !x.canConvertToLong() || x.asLong() < 0) {
                throw ModelFormatException.of(path, what + " must hold non-negative integers, found " + node);
            }
            a[i] = x.asLong();
        }
        return a;
    }

    private static void checkNoOverlap(Path path, Map<String, SafetensorsTensorInfo> tensors) {
        List<SafetensorsTensorInfo> byBegin = new ArrayList<>(tensors.values());
        byBegin.removeIf(t -> t.byteSize() == 0);
        byBegin.sort(Comparator.comparingLong(SafetensorsTensorInfo::begin));
        for (int i = 1; i < byBegin.size(); i++) {
            SafetensorsTensorInfo a = byBegin.get(i - 1), b = byBegin.get(i);
            if (b.begin() < a.end()) {
                throw ModelFormatException.of(path, "tensors " + a.name() + " and " + b.name() + " overlap in the data section");
            }
        }
    }
}
