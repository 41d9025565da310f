package dev.perfkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void everyControlCharacter_quoteAndBackslash_readBackByAJsonParserAsTheOriginal() throws Exception {
        StringBuilder all = new StringBuilder("quote \" backslash \\ slash / ");
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
        }
        String json = JsonWriter.of(all.toString());

        for (int i = 0; i < json.length(); i++) {
            assertThat(json.charAt(i)).as("raw character at %d of %s", i, json).isGreaterThanOrEqualTo(' ');
        }
        assertThat(JACKSON.readTree(json).textValue()).isEqualTo(all.toString());
    }

    @Test
    void scriptEndTagAndHtmlCharacters_areEscaped_soTheDocumentCanBeEmbeddedInAPage() throws Exception {
        String hostile = "</script><script>alert('x')</script> & \u2028\u2029";
        String json = JsonWriter.of(Map.of("name", hostile));

        assertThat(json).doesNotContain("<").doesNotContain(">").doesNotContain("&")
                .doesNotContain("\u2028").doesNotContain("\u2029");
        assertThat(JACKSON.readTree(json).get("name").textValue()).isEqualTo(hostile);
    }

    @Test
    void loneSurrogates_areEscaped_soTheUtf8BytesAreLossless_whilePairsStayAsTheyAre() throws Exception {
        String text = "lone high \ud800 x, lone low \udc00, pair \ud83d\ude97, high at end \ud800";
        String json = JsonWriter.of(text);

        String viaUtf8 = new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertThat(viaUtf8).as("a lone surrogate written raw would turn into '?'").isEqualTo(json);
        assertThat(json).contains("\\ud800").contains("\\udc00").contains("\ud83d\ude97");
        assertThat(JACKSON.readTree(json).textValue()).isEqualTo(text);
    }

    @Test
    void nestedValues_numbersAndNonFiniteDoubles_formAValidDocument() throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("long", Long.MAX_VALUE);
        doc.put("double", 0.25);
        doc.put("nan", Double.NaN);
        doc.put("longs", new long[] {1, -2});
        doc.put("doubles", new double[] {1.5, Double.POSITIVE_INFINITY});
        doc.put("list", List.of("a", true));
        doc.put("none", null);

        JsonNode node = JACKSON.readTree(JsonWriter.of(doc));

        assertThat(node.get("long").longValue()).isEqualTo(Long.MAX_VALUE);
        assertThat(node.get("double").doubleValue()).isEqualTo(0.25);
        assertThat(node.get("nan").isNull()).isTrue();
        assertThat(node.get("longs").get(1).longValue()).isEqualTo(-2);
        assertThat(node.get("doubles").get(1).isNull()).isTrue();
        assertThat(node.get("list").get(1).booleanValue()).isTrue();
        assertThat(node.get("none").isNull()).isTrue();
        assertThat(node.size()).isEqualTo(doc.size());
    }
}
