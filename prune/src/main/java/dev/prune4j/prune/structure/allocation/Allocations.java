package dev.prune4j.prune.structure.allocation;

import java.util.List;

/** The structured allocations by name, as the CLI and recipes spell them. */
public final class Allocations {
    public static final List<String> NAMES = List.of(UniformAllocation.NAME, PerLayerAllocation.NAME, FlapAllocation.NAME,
            DepthAllocation.NAME);

    private Allocations() {}

    /**
     * @param layerRatios the per-layer list for {@code layers}, else null
     * @param depthLayers the number of layers for {@code depth}, or null to derive it from the ratio
     */
    public static StructuredAllocation byName(String name, double[] layerRatios, Integer depthLayers) {
        if (layerRatios != null && !name.equals(PerLayerAllocation.NAME)) {
            throw new IllegalArgumentException("a per-layer ratio list goes with allocation " + PerLayerAllocation.NAME + ", not " + name);
        }
        return switch (name) {
            case UniformAllocation.NAME -> new UniformAllocation();
            case FlapAllocation.NAME -> new FlapAllocation();
            case DepthAllocation.NAME -> new DepthAllocation(depthLayers);
            case PerLayerAllocation.NAME -> {
                if (layerRatios == null) throw new IllegalArgumentException("allocation " + name + " needs one ratio per layer");
                yield new PerLayerAllocation(layerRatios);
            }
            default -> throw new IllegalArgumentException("unknown structured allocation \"" + name + "\"; expected one of " + NAMES);
        };
    }
}
