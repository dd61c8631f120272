package dev.pmemfs.cli.ndctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class JsonCTest {
    @Test
    void pretty_matchesJsonCLayout() {
        ObjectNode o = JsonC.object();
        o.put("dev", "namespace0.0");
        o.put("size", 16777216);
        ArrayNode a = o.putArray("badblocks");
        a.addObject().put("offset", 4).put("length", 1);
        a.addObject().put("offset", 8).put("length", 2);
        assertEquals("""
                {
                  "dev":"namespace0.0",
                  "size":16777216,
                  "badblocks":[
                    {
                      "offset":4,
                      "length":1
                    },
                    {
                      "offset":8,
                      "length":2
                    }
                  ]
                }""", JsonC.pretty(o));
    }

    @Test
    void pretty_emptyContainersAndEscapes() {
        assertEquals("[\n]", JsonC.pretty(JsonC.array()));
        assertEquals("{\n}", JsonC.pretty(JsonC.object()));
        ObjectNode o = JsonC.object();
        o.put("path", "/dev/pmem0 \"x\"\t");
        assertEquals("{\n  \"path\":\"\\/dev\\/pmem0 \\\"x\\\"\\t\"\n}", JsonC.pretty(o));
    }

    @Test
    void displayArray_likeUtilDisplayJsonArray() {
        ArrayNode one = JsonC.array();
        one.addObject().put("a", 1);
        assertEquals("[\n  {\n    \"a\":1\n  }\n]", JsonC.displayArray(one, false));
        assertEquals("{\n  \"a\":1\n}", JsonC.displayArray(one, true), "human: a single element prints alone");
        ArrayNode two = one.deepCopy();
        two.addObject().put("a", 2);
        assertEquals('[', JsonC.displayArray(two, true).charAt(0));
    }
}
