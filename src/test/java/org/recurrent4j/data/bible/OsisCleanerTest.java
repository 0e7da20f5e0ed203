package org.recurrent4j.data.bible;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OsisCleanerTest {

    @Test
    void dropsNotesAndTitlesWithTheirText() {
        assertEquals("And God saw the light, that it was good.", OsisCleaner.clean(
                "<title type=\"x-gen\">Day one</title>And <w lemma=\"strong:H0430\">God</w> saw the light, that "
                        + "<transChange type=\"added\">it was</transChange> good.<note placement=\"foot\">"
                        + "<reference type=\"annotateRef\">1.4</reference>Heb. between</note>"));
    }

    @Test
    void spacesBetweenAdjacentWordsButNotBeforePunctuation() {
        assertEquals("para siempre es su misericordia.", OsisCleaner.clean(
                "<w lemma=\"a\">para siempre</w><w lemma=\"b\">es su</w> <w>misericordia</w>."));
        assertEquals("line one line two", OsisCleaner.clean("<l level=\"1\"/>line one<l level=\"1\"/>line two"));
        assertEquals("world, that", OsisCleaner.clean("<w>world</w>, <w>that</w>"));
    }

    @Test
    void unescapesEntitiesAfterStrippingTags() {
        assertEquals("a & b <c> \"d\" 'e' é é", OsisCleaner.clean("a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#233; &#xE9;"));
        assertEquals("&nbsp;x", OsisCleaner.clean("&nbsp;x"));
    }

    @Test
    void removesUsfmMarkersPilcrowAndFoldsSpace() {
        assertEquals("by my name JEHOVAH was I", OsisCleaner.clean("by my name \\nd JEHOVAH\\nd* was  I"));
        assertEquals("For God so loved", OsisCleaner.clean("<q marker=\"\" who=\"Jesus\">¶ <w>For</w>\n God\u00A0so loved</q>"));
        assertEquals("", OsisCleaner.clean("<chapter eID=\"Num.12\"/><div eID=\"gen134\" type=\"x-p\"/>"));
    }
}
