package dev.prune4j.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File and directory hashes against the FIPS 180-2 test vector and sha256sum's listing format. */
class Sha256Test {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void fileAndDirectory(@TempDir Path dir) throws Exception {
        Path abc = Files.writeString(dir.resolve("abc.txt"), "abc");
        assertThat(Sha256.of(abc)).isEqualTo(ABC);
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("b.txt"), "abc");
        Files.createDirectories(model.resolve("sub"));
        Files.writeString(model.resolve("sub/a.txt"), "");
        // what `cd model && sha256sum b.txt sub/a.txt | sha256sum` prints
        Path listing = Files.writeString(dir.resolve("listing"), ABC + "  b.txt\n" + EMPTY + "  sub/a.txt\n");
        assertThat(Sha256.of(model)).isEqualTo(Sha256.of(listing));
    }
}
