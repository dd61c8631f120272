package dev.pmemfs.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * {@code results.json}: the whole {@link StudyResult}, every step of every strategy, indented, fields
 * in record order, so the same result always gives the same bytes and the file reads back into an
 * equal {@code StudyResult}.
 */
final class ResultsJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private ResultsJson() {}

    static String render(StudyResult result) {
        try {
            return MAPPER.writeValueAsString(result) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the study result: " + e.getOriginalMessage(), e);
        }
    }

    static StudyResult parse(String json) throws JsonProcessingException {
        return MAPPER.readValue(json, StudyResult.class);
    }
}
