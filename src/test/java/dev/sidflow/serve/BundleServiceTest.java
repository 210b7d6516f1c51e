package dev.sidflow.serve;

import dev.sidflow.cli.SidflowCli;
import dev.sidflow.data.Dataset;
import dev.sidflow.data.DatasetStore;
import dev.sidflow.model.ModelBundle;
import dev.sidflow.model.TinyBundle;
import dev.sidflow.schema.CatalogItem;
import dev.sidflow.schema.Recommendation;
import dev.sidflow.schema.RecommendedItem;
import dev.sidflow.sid.SemanticId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundle a real training run writes, opened the way the stream job opens it. */
class BundleServiceTest {
    static ModelBundle bundle;
    static RecommendationService service;
    static Dataset data;

    @BeforeAll
    static void open() throws Exception {
        bundle = ModelBundle.open(TinyBundle.dir());
        data = DatasetStore.read(TinyBundle.data());
        service = new BundleServiceFactory(TinyBundle.dir(), "cpu", 10, 1).open();
    }

    @AfterAll
    static void close() throws Exception {
        service.close();
    }

    @Test
    void bundleRoundTripsItsCatalogSidsAndManifest() {
        ModelBundle.Manifest m = bundle.manifest();
        assertThat(m.items()).isEqualTo(data.items().size());
        assertThat(bundle.itemIds()).containsExactlyElementsOf(data.items().stream().map(i -> i.itemId()).toList());
        Map<String, SemanticId> sids = bundle.sids();
        assertThat(new HashSet<>(sids.values())).hasSize(sids.size()); // every item has a distinct SID
        assertThat(m.generatorWeight()).isBetween(0.0, 1.0);
        assertThat(m.version()).startsWith("tiny-test-").isEqualTo(service.bundleVersion());
        assertThat(m.dataFingerprint()).hasSize(64);
    }

    @Test
    void recommendsValidTitledItemsOutsideTheRecentHistory() {
        List<RecommendRequest> batch = new ArrayList<>();
        Map<String, List<String>> seqs = data.sequences();
        int n = 0;
        for (var e : seqs.entrySet()) {
            if (n++ == 32) break;
            batch.add(new RecommendRequest("r" + n, e.getKey(), e.getValue(), 0, 0));
        }
        batch.add(new RecommendRequest("cold", "nobody", List.of(), 0, 0));
        List<Recommendation> recs = service.recommend(batch);
        assertThat(recs).hasSize(batch.size());
        // the live catalog: another test may have added a cold-start item, which is rightly recommendable
        var catalog = ((CatalogRecommendationService) service).assembler().catalog();
        for (int i = 0; i < recs.size(); i++) {
            Recommendation r = recs.get(i);
            assertThat(r.getRequestKey()).isEqualTo(batch.get(i).requestKey());
            assertThat(r.getItems()).hasSize(10);
            for (RecommendedItem item : r.getItems()) {
                assertThat(item.getMatchLevel()).isEqualTo(4);
                assertThat(catalog.titleOrId(item.getItemId())).isEqualTo(item.getTitle());
                assertThat(batch.get(i).history()).doesNotContain(item.getItemId());
                assertThat(catalog.sidOf(item.getItemId()).orElseThrow().toString()).isEqualTo(item.getSid());
            }
        }
        // the published-items metric: every item an exact match, no invalid SID
        long[] levels = service.matchLevelCounts();
        assertThat(levels[4]).isGreaterThanOrEqualTo(10L * recs.size());
        assertThat(levels[0] + levels[1] + levels[2] + levels[3]).isZero();
        // a user without history gets the popularity fallback
        assertThat(recs.get(recs.size() - 1).getItems()).allSatisfy(i -> assertThat(i.getSource().name()).isEqualTo("POPULARITY"));
    }

    @Test
    void aNewCatalogItemGetsASidAndIsScoredAtOnce() throws Exception {
        var first = data.items().get(0);
        service.onCatalogItem(CatalogItem.newBuilder().setItemId("brand-new").setTitle(first.title() + " Remastered")
                .setText(first.text()).build());
        var catalog = ((CatalogRecommendationService) service).assembler().catalog();
        assertThat(catalog.sidOf("brand-new")).isPresent();
        assertThat(catalog.titleOrId("brand-new")).endsWith("Remastered");
        // its SID is new, valid and decodable: it shares its first three codes' space with the training catalog
        assertThat(catalog.trieSnapshot().contains(catalog.sidOf("brand-new").get())).isTrue();
        assertThat(bundle.sids()).doesNotContainValue(catalog.sidOf("brand-new").get());
    }

    @Test
    void evalCommandPrintsEveryModelsLeaveOneOutMetrics() {
        StringWriter out = new StringWriter();
        var cl = SidflowCli.commandLine();
        cl.setOut(new PrintWriter(out));
        int code = cl.execute("eval", "--bundle", TinyBundle.dir().toString(), "--data", TinyBundle.data().toString(), "--device", "cpu");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("| popularity |", "| ID-SASRec |", "| LLMEmb |", "| TIGER generator |", "hybrid (served",
                "| hybrid, history items dropped (as streamed) |");
    }
}
