package dev.prune4j.model.gguf;

import java.nio.file.Path;
import java.util.Map;

class GgufDump {
    public static void main(String[] args) throws Exception {
        try (GgufFile f = GgufFile.open(Path.of(args[0]))) {
            System.out.println("version " + f.version());
            for (Map.Entry<String, GgufValue> e : f.metadata().entrySet()) {
                Object v = e.getValue().value();
                String s = v instanceof String[] a ? "String[" + a.length + "] " + a[0] + "," + a[Math.min(1,a.length-1)]
                        : v instanceof float[] a ? "float[" + a.length + "]" : v instanceof int[] a ? "int[" + a.length + "]" : String.valueOf(v);
                if (s.length() > 200) s = s.substring(0, 200);
                System.out.println(e.getKey() + " " + e.getValue().type() + " " + s);
            }
            int i = 0;
            for (GgufTensorInfo t : f.tensors().values()) { if (i++ < 16 || t.name().startsWith("output") || t.name().startsWith("token")) System.out.println(t); }
            System.out.println(f.tensors().size() + " tensors");
        }
    }
}
