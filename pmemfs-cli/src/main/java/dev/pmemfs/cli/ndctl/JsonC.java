package dev.pmemfs.cli.ndctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Prints a Jackson tree exactly as json-c's {@code JSON_C_TO_STRING_PRETTY} does, which is what ndctl
 * prints: two-space indent, {@code "key":value} with no space, each member and element on its own
 * line, an empty array as {@code "[\n]"}, and '/' escaped as {@code \/}. Keys keep insertion order, so
 * builders add them in ndctl's order.
 */
final class JsonC {
    private JsonC() {}

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    static String pretty(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(sb, node, 0);
        return sb.toString();
    }

    /**
     * ndctl's {@code util_display_json_array}: the array, except that with {@code human} a
     * one-element array prints as its element.
     */
    static String displayArray(ArrayNode array, boolean human) {
        if (array.size() > 1 || !human) {
            return pretty(array);
        }
        return array.isEmpty() ? "" : pretty(array.get(0));
    }

    private static void indent(StringBuilder sb, int level) {
        sb.append("  ".repeat(level));
    }

    private static void write(StringBuilder sb, JsonNode n, int level) {
        if (n.isObject()) {
            sb.append("{\n");
            Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
            boolean first = true;
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!first) {
                    sb.append(",\n");
                }
                first = false;
                indent(sb, level + 1);
                string(sb, e.getKey());
                sb.append(':');
                write(sb, e.getValue(), level + 1);
            }
            if (!first) {
                sb.append('\n');
            }
            indent(sb, level);
            sb.append('}');
        } else if (n.isArray()) {
            sb.append("[\n");
            boolean first = true;
            for (JsonNode e : n) {
                if (!first) {
                    sb.append(",\n");
                }
                first = false;
                indent(sb, level + 1);
                write(sb, e, level + 1);
            }
            if (!first) {
                sb.append('\n');
            }
            indent(sb, level);
            sb.append(']');
        } else if (n.isTextual()) {
            string(sb, n.textValue());
        } else {
            sb.append(n.toString());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '/' -> sb.append("\\/");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
