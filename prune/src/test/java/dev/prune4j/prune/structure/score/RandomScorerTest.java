package dev.prune4j.prune.structure.score;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.prune.structure.StructureScores;
import dev.prune4j.prune.structure.ToyModels;
import org.junit.jupiter.api.Test;

class RandomScorerTest {
    @Test
    void scoresEveryGroupFromTheFixedSeedIndependentlyOfTheWeights() {
        ModelConfig c = ToyModels.gqa();
        StructureScores a = new RandomScorer().score(c, RandomWeights.create(c, 1), null, ScoreProgress.NONE).scores();
        StructureScores b = new RandomScorer().score(c, RandomWeights.create(c, 2), null, ScoreProgress.NONE).scores();
        for (int l = 0; l < c.blockCount(); l++) {
            assertThat(a.queryHeads()[l]).hasSize(c.headCount(l)).isEqualTo(b.queryHeads()[l]);
            assertThat(a.kvHeads()[l]).hasSize(c.headCountKv(l)).isEqualTo(b.kvHeads()[l]);
            assertThat(a.ffnChannels()[l]).hasSize(c.feedForwardLength(l)).isEqualTo(b.ffnChannels()[l]);
            for (float v : a.ffnChannels()[l]) assertThat(v).isBetween(0f, 1f);
        }
        assertThat(a.hiddenChannels()).hasSize(c.embeddingLength()).isEqualTo(b.hiddenChannels());
        // not a constant: the FFN channels of the first layer take many distinct values
        assertThat(java.util.stream.IntStream.range(0, c.feedForwardLength(0)).mapToObj(i -> a.ffnChannels()[0][i]).distinct().count())
                .isEqualTo(c.feedForwardLength(0));
    }

    @Test
    void isKnownByNameAndReadsNoCalibration() {
        assertThat(Scorers.byName("random", null)).isInstanceOf(RandomScorer.class);
        assertThat(Scorers.readsCalibration("random")).isFalse();
        assertThat(Scorers.readsCalibration("l2")).isFalse();
        assertThat(Scorers.readsCalibration("flap")).isTrue();
    }
}
