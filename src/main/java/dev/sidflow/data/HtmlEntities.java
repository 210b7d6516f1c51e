package dev.sidflow.data;

import java.util.Map;

/**
 * Unescapes the HTML character references found in scraped catalog text (Amazon titles carry
 * {@code &amp;}, {@code &quot;}, {@code &#39;}, {@code &#x2019;}, {@code &reg;}, ...). Unknown or
 * malformed references are left as they are, so the function never loses text.
 */
public final class HtmlEntities {
    private HtmlEntities() {}

    /** Longest named entity we know, to bound the scan for ';'. */
    private static final int MAX_NAME = 8;

    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"),
            Map.entry("quot", "\""), Map.entry("apos", "'"), Map.entry("nbsp", "\u00a0"),
            Map.entry("ndash", "\u2013"), Map.entry("mdash", "\u2014"), Map.entry("hellip", "\u2026"),
            Map.entry("lsquo", "\u2018"), Map.entry("rsquo", "\u2019"), Map.entry("sbquo", "\u201a"),
            Map.entry("ldquo", "\u201c"), Map.entry("rdquo", "\u201d"), Map.entry("bdquo", "\u201e"),
            Map.entry("laquo", "\u00ab"), Map.entry("raquo", "\u00bb"), Map.entry("bull", "\u2022"),
            Map.entry("middot", "\u00b7"), Map.entry("dagger", "\u2020"), Map.entry("Dagger", "\u2021"),
            Map.entry("copy", "\u00a9"), Map.entry("reg", "\u00ae"), Map.entry("trade", "\u2122"),
            Map.entry("deg", "\u00b0"), Map.entry("times", "\u00d7"), Map.entry("divide", "\u00f7"),
            Map.entry("plusmn", "\u00b1"), Map.entry("frac12", "\u00bd"), Map.entry("frac14", "\u00bc"),
            Map.entry("frac34", "\u00be"), Map.entry("sup1", "\u00b9"), Map.entry("sup2", "\u00b2"),
            Map.entry("sup3", "\u00b3"), Map.entry("micro", "\u00b5"), Map.entry("para", "\u00b6"),
            Map.entry("sect", "\u00a7"), Map.entry("cent", "\u00a2"), Map.entry("pound", "\u00a3"),
            Map.entry("euro", "\u20ac"), Map.entry("yen", "\u00a5"), Map.entry("iquest", "\u00bf"),
            Map.entry("iexcl", "\u00a1"), Map.entry("acute", "\u00b4"), Map.entry("uml", "\u00a8"),
            Map.entry("eacute", "\u00e9"), Map.entry("Eacute", "\u00c9"), Map.entry("egrave", "\u00e8"),
            Map.entry("ecirc", "\u00ea"), Map.entry("aacute", "\u00e1"), Map.entry("agrave", "\u00e0"),
            Map.entry("acirc", "\u00e2"), Map.entry("auml", "\u00e4"), Map.entry("aring", "\u00e5"),
            Map.entry("iacute", "\u00ed"), Map.entry("oacute", "\u00f3"), Map.entry("ocirc", "\u00f4"),
            Map.entry("ouml", "\u00f6"), Map.entry("uacute", "\u00fa"), Map.entry("uuml", "\u00fc"),
            Map.entry("Uuml", "\u00dc"), Map.entry("Ouml", "\u00d6"), Map.entry("Auml", "\u00c4"),
            Map.entry("ntilde", "\u00f1"), Map.entry("Ntilde", "\u00d1"), Map.entry("ccedil", "\u00e7"),
            Map.entry("szlig", "\u00df"), Map.entry("oslash", "\u00f8"));

    /**
     * Windows-1252 meanings of the C1 range: pages that were cp1252 but declared Latin-1 encode
     * a curly apostrophe as {@code &#x92;}; browsers map these the same way.
     */
    private static final char[] CP1252_C1 = {
            '\u20ac', '\u0081', '\u201a', '\u0192', '\u201e', '\u2026', '\u2020', '\u2021',
            '\u02c6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008d', '\u017d', '\u008f',
            '\u0090', '\u2018', '\u2019', '\u201c', '\u201d', '\u2022', '\u2013', '\u2014',
            '\u02dc', '\u2122', '\u0161', '\u203a', '\u0153', '\u009d', '\u017e', '\u0178'};

    /** The text with every known character reference replaced by its character; null stays null. */
    public static String unescape(String s) {
        if (s == null || s.indexOf('&') < 0) return s;
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int semi = s.indexOf(';', i + 1);
            String replacement = null;
            if (semi > i + 1 && semi - i - 1 <= MAX_NAME + 2) {
                replacement = decode(s.substring(i + 1, semi));
            }
            if (replacement == null) {
                out.append(c);
                i++;
            } else {
                out.append(replacement);
                i = semi + 1;
            }
        }
        return out.toString();
    }

    /** The character(s) of one reference body ("amp", "#39", "#x2019"), or null if unknown. */
    private static String decode(String body) {
        if (body.charAt(0) != '#') return NAMED.get(body);
        int cp;
        try {
            if (body.length() > 1 && (body.charAt(1) == 'x' || body.charAt(1) == 'X')) {
                if (body.length() == 2) return null;
                cp = Integer.parseInt(body.substring(2), 16);
            } else {
                if (body.length() == 1) return null;
                cp = Integer.parseInt(body.substring(1), 10);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        if (cp >= 0x80 && cp <= 0x9f) return String.valueOf(CP1252_C1[cp - 0x80]);
        if (cp <= 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xd800 && cp <= 0xdfff)) return null;
        return new String(Character.toChars(cp));
    }
}
