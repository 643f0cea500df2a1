import dev.prune4j.model.gguf.GgufFile;
import dev.prune4j.model.gguf.GgufTensorInfo;
import dev.prune4j.model.gguf.GgufWriter;
import dev.prune4j.tensor.GgmlType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-encodes every matrix of a GGUF file as F32, F16 or BF16 (1-D tensors stay F32) with prune4j's GgufWriter,
 * keeping all metadata.
 * Run from the project root after {@code ./mvnw -pl model -am compile}:
 * {@code java -cp tensor/target/classes:model/target/classes tools/llamacpp/RewriteGguf.java IN OUT F16}
 */
public class RewriteGguf {
    public static void main(String[] args) throws Exception {
        GgmlType type = GgmlType.valueOf(args[2]);
        try (GgufFile src = GgufFile.open(Path.of(args[0]))) {
            List<GgufWriter.Tensor> tensors = new ArrayList<>();
            for (GgufTensorInfo t : src.tensors().values()) {
                // llama.cpp's CPU binary ops (the norm multiplications) need 1-D tensors in F32, as its converters write them.
                GgmlType stored = t.dims().length == 1 ? GgmlType.F32 : type;
                tensors.add(new GgufWriter.Tensor(t.name(), t.dims(), stored, src.readFloats(t.name())));
            }
            GgufWriter.write(Path.of(args[1]), src.metadata(), tensors);
            System.out.println("wrote " + args[1] + ": " + tensors.size() + " tensors as " + type);
        }
    }
}
