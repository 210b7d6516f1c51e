package dev.sidflow.bench;

import dev.sidflow.model.generator.TigerConfig;
import dev.sidflow.model.llmemb.LlmEmbConfig;
import dev.sidflow.model.llmemb.SasRecConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FlopCountTest {
    // the Video Games generator: 20 items of history, d=64, 4 heads, 2+2 layers, FFN 256
    private static final TigerConfig VG = new TigerConfig(20, 64, 4, 2, 2, 256, 0.1f);

    @Test
    void tigerCountsMatchAHandCalculation() {
        FlopCount.Breakdown b = FlopCount.tiger(VG, 20, false);
        // encoder: 2 layers x 81 tokens x (8*64^2 + 4*81*64 + 4*64*256)
        assertThat(b.parts().get("encoder")).isEqualTo(2 * 81 * (8 * 4096 + 4 * 81 * 64 + 4 * 64 * 256.0));
        assertThat(b.parts().get("cross-attention keys/values")).isEqualTo(2 * 81 * 4 * 4096.0);
        // head: (1 + 3*20) rows x 2 x 64 x 256 (each level's codes, not the 1,028-token vocabulary)
        assertThat(b.parts().get("vocabulary head (level codes)")).isEqualTo(61 * 2 * 64 * 256.0);
        assertThat(b.total()).isEqualTo(79_286_272.0 - 61 * 2 * 64 * (1028 - 256.0));
        assertThat(b.largest()).isEqualTo("decoder (prefix recomputed)");
    }

    @Test
    void aKvCacheRemovesTheRecomputedPrefixes() {
        FlopCount.Breakdown plain = FlopCount.tiger(VG, 20, false);
        FlopCount.Breakdown cached = FlopCount.tiger(VG, 20, true);
        assertThat(cached.total()).isEqualTo(46_579_712.0 - 61 * 2 * 64 * (1028 - 256.0));
        assertThat(cached.parts().get("encoder")).isEqualTo(plain.parts().get("encoder"));
        // level 1 has a single position, so beam 1 differs only in levels 2..4 (2+3+4 vs 3 positions)
        double p1 = FlopCount.tiger(VG, 1, false).parts().get("decoder (prefix recomputed)");
        double c1 = FlopCount.tiger(VG, 1, true).parts().get("decoder (KV cache)");
        assertThat(p1).isGreaterThan(c1 * 2);
    }

    @Test
    void llmEmbScoringAndTheUncachedAdapter() {
        LlmEmbConfig cfg = new LlmEmbConfig(new SasRecConfig(16_859, 50, 64, 1, 2, 0.3f), 128, 256, 0.2f,
                LlmEmbConfig.AlignLoss.INFONCE, 0.1f, 0.2f);
        FlopCount.Breakdown cached = FlopCount.llmEmb(cfg, 20, 16_859, 0);
        assertThat(cached.parts().get("catalog scoring")).isEqualTo(2 * 64 * 16_859.0);
        assertThat(cached.parts().get("sequence encoder")).isEqualTo(2 * 20 * (12 * 4096 + 4 * 20 * 64.0));
        assertThat(cached.total()).isEqualTo(4_328_832.0);
        // uncached, batch 1: the adapter over all 16,859 items dominates (16859 x 2 x (128*256 + 256*64))
        FlopCount.Breakdown single = FlopCount.llmEmb(cfg, 20, 16_859, 1);
        assertThat(single.total() - cached.total()).isEqualTo(1_657_307_136.0);
        assertThat(single.largest()).startsWith("item adapter");
        // history longer than maxLen is cut to maxLen
        assertThat(FlopCount.llmEmb(cfg, 500, 16_859, 0).total()).isEqualTo(FlopCount.llmEmb(cfg, 50, 16_859, 0).total());
    }

    @Test
    void idSasRecCountsTheEncoderAndCatalogScoringOfItsOwnConfig() {
        SasRecConfig cfg = new SasRecConfig(16_859, 50, 64, 1, 2, 0.3f);
        FlopCount.Breakdown b = FlopCount.sasRec(cfg, 20, 16_859);
        assertThat(b.parts().keySet()).containsExactly("sequence encoder", "catalog scoring");
        assertThat(b.total()).isEqualTo(4_328_832.0);
        // a wider model costs more per position: hidden 128 quadruples the d^2 terms
        assertThat(FlopCount.sasRec(new SasRecConfig(16_859, 50, 128, 1, 2, 0.3f), 20, 16_859).parts().get("sequence encoder"))
                .isEqualTo(2 * 20 * (12 * 16384 + 4 * 20 * 128.0));
    }
}
