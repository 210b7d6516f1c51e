package dev.sidflow.data;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlEntitiesTest {

    @Test
    void unescapesNamedDecimalAndHexReferences() {
        assertThat(HtmlEntities.unescape("Tom Clancy&#39;s Rainbow Six &amp; &quot;Siege&quot;"))
                .isEqualTo("Tom Clancy's Rainbow Six & \"Siege\"");
        assertThat(HtmlEntities.unescape("Assassin&#x27;s Creed&reg; &ndash; Gold&trade;"))
                .isEqualTo("Assassin's Creed\u00ae \u2013 Gold\u2122");
        assertThat(HtmlEntities.unescape("Pok&eacute;mon &lt;X&gt; &#X2019;")).isEqualTo("Pok\u00e9mon <X> \u2019");
    }

    @Test
    void mapsWindows1252ControlRangeLikeBrowsers() {
        assertThat(HtmlEntities.unescape("Don&#x92;t")).isEqualTo("Don\u2019t");
        assertThat(HtmlEntities.unescape("a&#150;b")).isEqualTo("a\u2013b");
    }

    @Test
    void leavesUnknownOrBrokenReferencesAlone() {
        assertThat(HtmlEntities.unescape("R&D & more")).isEqualTo("R&D & more");
        assertThat(HtmlEntities.unescape("&mdasheven; &#; &#x; &#xZZ; &bogus;")).isEqualTo("&mdasheven; &#; &#x; &#xZZ; &bogus;");
        assertThat(HtmlEntities.unescape("trailing &amp")).isEqualTo("trailing &amp");
        assertThat(HtmlEntities.unescape("&amp;amp;")).isEqualTo("&amp;"); // one level only
        assertThat(HtmlEntities.unescape(null)).isNull();
        assertThat(HtmlEntities.unescape("plain")).isEqualTo("plain");
    }
}
