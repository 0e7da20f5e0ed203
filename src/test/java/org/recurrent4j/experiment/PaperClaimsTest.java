package org.recurrent4j.experiment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaperClaimsTest {

    @Test
    void holdWhenTheEncoderDecoderFallsOffWithLength() {
        ExperimentResult r = SyntheticResults.result();
        PaperClaims c = PaperClaims.check(r, 50);
        ModelResult search = r.model("RNNsearch-50").orElseThrow();
        ModelResult enc = r.model("RNNenc-50").orElseThrow();
        assertEquals(search.bleuLong(), c.searchLong());
        assertEquals(enc.bleuLong(), c.encLong());
        assertTrue(c.searchLong() - c.encLong() > 5, c.report());
        assertTrue(c.encSlope() < c.searchSlope(), c.report());
        assertTrue(c.hold(), c.report());
        assertTrue(c.report().contains("holds") && !c.report().contains("FAILS"), c.report());
    }

    @Test
    void failWhenTheModelsAreSwapped() {
        ExperimentResult r = SyntheticResults.result();
        PaperClaims c = PaperClaims.check(r, 50);
        PaperClaims swapped = new PaperClaims(50, c.encLong(), c.searchLong(), c.margin(), c.encSlope(), c.searchSlope());
        assertFalse(swapped.longSentencesHold());
        assertFalse(swapped.slopesHold());
        assertTrue(swapped.report().contains("FAILS"));
    }

    @Test
    void failUnderTheMarginAndOnNaN() {
        assertFalse(new PaperClaims(50, 10.0, 9.5, 1.0, 0, -1).longSentencesHold());
        assertTrue(new PaperClaims(50, 10.0, 9.0, 1.0, 0, -1).longSentencesHold());
        assertFalse(new PaperClaims(50, Double.NaN, 9.0, 1.0, 0, -1).longSentencesHold());
        assertFalse(new PaperClaims(50, 10, 9.0, 1.0, Double.NaN, -1).slopesHold());
    }

    @Test
    void aMissingModelIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PaperClaims.check(SyntheticResults.result(), 40));
        assertTrue(e.getMessage().contains("RNNsearch-40"), e.getMessage());
    }
}
