package dev.prune4j.prune.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prune4j.prune.structure.allocation.AllocationOptions;
import dev.prune4j.prune.structure.allocation.AttentionUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Structured recipes: defaults per method, flags over file fields, refusals that name the field, YAML/JSON round trip. */
class StructuredRecipeTest {
    @TempDir Path dir;

    private static StructuredRecipe method(String m, Double ratio) {
        return new StructuredRecipe(m, ratio, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void defaultsDependOnTheMethod() {
        StructuredRecipe flap = method("flap", 0.2).withDefaults();
        assertThat(flap.allocation()).isEqualTo("flap");
        assertThat(flap.attention()).isEqualTo("kv");
        assertThat(flap.ffn()).isTrue();
        assertThat(flap.widthMultiple()).isEqualTo(8);
        assertThat(flap.biasCompensation()).isFalse();
        assertThat(flap.calibration()).isEqualTo(new PruneRecipe.Calibration("sotu:calibration", 128, 512, 0L));

        StructuredRecipe taylor = method("llm-pruner", 0.2).withDefaults();
        assertThat(taylor.allocation()).isEqualTo("uniform");
        assertThat(taylor.taylor()).isEqualTo(new StructuredRecipe.Taylor("element1", "sum"));
        assertThat(taylor.calibration().samples()).as("LLM-Pruner's 10 sequences").isEqualTo(10);
        assertThat(taylor.calibration().seqlen()).as("of 64 tokens").isEqualTo(64);

        StructuredRecipe l2 = method("l2", 0.2).withDefaults();
        assertThat(l2.calibration()).as("l2 reads no data").isNull();
        l2.validate();

        StructuredRecipe depth = method("depth", 0.2).withDefaults();
        assertThat(depth.allocation()).isEqualTo("depth");
        assertThat(depth.attention()).isNull();
        depth.validate();
        assertThat(depth.allocationOptions().attention()).isEqualTo(AttentionUnit.NONE);

        StructuredRecipe fromScores = new StructuredRecipe("llm-pruner", 0.3, null, null, null, null, null, null, null,
                null, null, null, null, "s.json").withDefaults();
        assertThat(fromScores.calibration()).as("the score file's calibration counts").isNull();
        assertThat(fromScores.taylor()).as("the score file's options count").isNull();
        fromScores.validate();
    }

    @Test
    void flagsOverrideFileFieldsOneByOne() {
        StructuredRecipe file = new StructuredRecipe("flap", 0.2, "uniform", null, null, "query", null, 16, 1, null,
                null, true, new PruneRecipe.Calibration("a.txt", 32, 128, 5L), null);
        StructuredRecipe flags = new StructuredRecipe(null, 0.3, null, null, null, null, false, null, null, 2, null, null,
                new PruneRecipe.Calibration(null, 8, null, null), null);
        StructuredRecipe r = file.overriddenBy(flags).withDefaults();
        r.validate();
        assertThat(r.method()).isEqualTo("flap");
        assertThat(r.ratio()).isEqualTo(0.3);
        assertThat(r.allocation()).isEqualTo("uniform");
        assertThat(r.attention()).isEqualTo("query");
        assertThat(r.ffn()).isFalse();
        assertThat(r.widthMultiple()).isEqualTo(16);
        assertThat(r.protectFirst()).isEqualTo(1);
        assertThat(r.protectLast()).isEqualTo(2);
        assertThat(r.calibration()).isEqualTo(new PruneRecipe.Calibration("a.txt", 8, 128, 5L));
        assertThat(r.allocationOptions()).isEqualTo(new AllocationOptions(0.3, AttentionUnit.QUERY_HEADS, false, 16, 1, 2));

        StructuredRecipe list = new StructuredRecipe(null, null, null, List.of(0.1, 0.2), null, null, null, null, null,
                null, null, null, null, null);
        StructuredRecipe withList = file.overriddenBy(list).withDefaults();
        assertThat(withList.ratio()).as("a per-layer list on the command line replaces the file's ratio").isNull();
        assertThat(withList.layerRatios()).containsExactly(0.1, 0.2);
    }

    @Test
    void refusesWhatDoesNotApplyNamingTheField() {
        assertThatThrownBy(() -> method("l2", null).withDefaults().validate()).hasMessageContaining("needs a ratio");
        assertThatThrownBy(() -> method("l2", 1.0).withDefaults().validate()).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> method("prune-it", 0.2).withDefaults().validate()).hasMessageContaining("l2, wanda-sp");
        assertThatThrownBy(() -> new StructuredRecipe("l2", 0.2, null, null, null, null, null, null, null, null, null, true,
                null, null).withDefaults().validate()).hasMessageContaining("bias-compensation").hasMessageContaining("flap");
        assertThatThrownBy(() -> new StructuredRecipe("l2", 0.2, null, null, null, null, null, null, null, null, null, null,
                new PruneRecipe.Calibration(null, 8, null, null), null).withDefaults().validate())
                .hasMessageContaining("calibration (--calib, --nsamples, --seqlen, --seed) does not apply to method l2");
        assertThatThrownBy(() -> new StructuredRecipe("depth", 0.2, null, null, null, "kv", null, null, null, null, null,
                null, null, null).withDefaults().validate()).hasMessageContaining("attention does not apply to method depth");
        assertThatThrownBy(() -> new StructuredRecipe("l2", 0.2, "depth", null, null, null, null, null, null, null, null,
                null, null, null).withDefaults().validate()).hasMessageContaining("use it with method depth");
        assertThatThrownBy(() -> new StructuredRecipe("wanda-sp", 0.2, null, null, null, null, null, null, null, null,
                new StructuredRecipe.Taylor("vector", null), null, null, null).withDefaults().validate())
                .hasMessageContaining("taylor does not apply");
        assertThatThrownBy(() -> new StructuredRecipe("llm-pruner", 0.2, null, null, null, null, null, null, null, null,
                new StructuredRecipe.Taylor("element3", null), null, null, null).withDefaults().validate())
                .hasMessageContaining("element3");
        assertThatThrownBy(() -> new StructuredRecipe("l2", 0.2, null, null, null, "heads", null, null, null, null, null,
                null, null, null).withDefaults().validate()).hasMessageContaining("attention must be one of kv, query, none");
        assertThatThrownBy(() -> new StructuredRecipe("l2", 0.2, "layers", List.of(0.1), null, null, null, null, null, null,
                null, null, null, null).withDefaults().validate()).hasMessageContaining("either a ratio or per-layer ratios");
        assertThatThrownBy(() -> new StructuredRecipe("l2", null, null, List.of(0.1, 1.5), null, null, null, null, null,
                null, null, null, null, null).withDefaults().validate()).hasMessageContaining("layer-ratios[1]");
    }

    @Test
    void roundTripsThroughYamlAndJson() throws Exception {
        StructuredRecipe r = new StructuredRecipe("llm-pruner", 0.25, "uniform", null, null, "query", true, 16, 2, 1,
                new StructuredRecipe.Taylor("element2", "max"), false, new PruneRecipe.Calibration("c.txt", 4, 64, 9L), null)
                .withDefaults();
        for (String name : new String[] {"r.yaml", "r.json"}) {
            Path f = dir.resolve(name);
            RecipeFiles.write(f, r);
            assertThat(RecipeFiles.method(f)).isEqualTo("llm-pruner");
            assertThat(RecipeFiles.readStructured(f)).isEqualTo(r);
        }
        assertThat(RecipeFiles.toYaml(r)).contains("width-multiple: 16").contains("protect-first: 2")
                .contains("variant: element2").doesNotContain("scores");
        assertThat(r.scorerOptions()).isEqualTo(Map.of("variant", "element2", "reduction", "max"));
    }

    @Test
    void aSparsityFieldInAStructuredRecipeIsNamed() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "method: l2\nsparsity: 0.5\n");
        assertThat(RecipeFiles.method(f)).isEqualTo("l2");
        assertThatThrownBy(() -> RecipeFiles.readStructured(f)).hasMessageContaining("'sparsity' does not apply to structured pruning")
                .hasMessageContaining("ratio");
    }
}
