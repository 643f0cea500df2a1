package dev.prune4j.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.Assets;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A whole text split (about 1 MB) tokenized exactly as llama.cpp tokenizes it: same count, same id hash. */
@Tag("assets")
class LargeTextTest {
    @ParameterizedTest
    @ValueSource(strings = {Assets.STORIES260K, Assets.SMOLLM2_Q4_1, Assets.GEMMA3_Q4_K_M})
    void sotuTestSplitMatchesLlamaCpp(String modelFile) throws Exception {
        JsonNode fixture;
        try (InputStream in = LargeTextTest.class.getResourceAsStream("/tokenizer/sotu-test.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        Path text = Assets.data(fixture.path("file").asText());
        assumeTrue(Files.isRegularFile(text), text + " is absent; run scripts/fetch-assets.sh");
        byte[] content = Files.readAllBytes(text);
        assumeTrue(sha256(content).equals(fixture.path("fileSha256").asText()),
                text + " is not the file the fixture was made from (splits changed?); regenerate sotu-test.json");
        Path model = modelFile.equals(Assets.STORIES260K) ? LlamaCppGoldenTest.stories260K() : LlamaCppGoldenTest.fetched(modelFile);

        int[] ids = LlamaCppGoldenTest.load(model).encode(new String(content, java.nio.charset.StandardCharsets.UTF_8));

        JsonNode expected = fixture.path("models").path(modelFile);
        assertThat(ids.length).as("token count for %s", modelFile).isEqualTo(expected.path("tokens").asInt());
        assertThat(idsSha256(ids)).as("id hash for %s", modelFile).isEqualTo(expected.path("idsSha256").asText());
    }

    static String idsSha256(int[] ids) throws NoSuchAlgorithmException {
        ByteBuffer bytes = ByteBuffer.allocate(ids.length * 4); // big-endian int32, as tokenize-file.mjs writes them
        for (int id : ids) bytes.putInt(id);
        return sha256(bytes.array());
    }

    static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
