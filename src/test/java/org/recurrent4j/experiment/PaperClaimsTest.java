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
        assertTrue(c.encRelative() < c.searchRelative(), c.report());
        assertTrue(c.hold(), c.report());
        assertTrue(c.report().contains("holds") && !c.report().contains("FAILS"), c.report());
    }

    @Test
    void failWhenTheModelsAreSwapped() {
        ExperimentResult r = SyntheticResults.result();
        PaperClaims c = PaperClaims.check(r, 50);
        PaperClaims swapped = new PaperClaims(50, c.encLong(), c.searchLong(), c.margin(), c.encSlope(), c.searchSlope(),
                c.encRelative(), c.searchRelative());
        assertFalse(swapped.longSentencesHold());
        assertFalse(swapped.slopesHold());
        assertTrue(swapped.report().contains("FAILS"));
    }

    @Test
    void failUnderTheMarginAndOnNaN() {
        assertFalse(new PaperClaims(50, 10.0, 9.5, 1.0, 0, -1, 0, -0.1).longSentencesHold());
        assertTrue(new PaperClaims(50, 10.0, 9.0, 1.0, 0, -1, 0, -0.1).longSentencesHold());
        assertFalse(new PaperClaims(50, Double.NaN, 9.0, 1.0, 0, -1, 0, -0.1).longSentencesHold());
        assertFalse(new PaperClaims(50, 10, 9.0, 1.0, 0, -1, Double.NaN, -0.1).slopesHold());
    }

    @Test
    void theSlopeClaimIsJudgedRelativeToEachModelsLevel() {
        // the situation of a small run: RNNsearch-50 loses more BLEU points per 10 tokens (−1.27 vs −0.82) from a
        // higher level, but a smaller share of its BLEU (−15% vs −22%): the claim holds, judged relatively
        PaperClaims small = new PaperClaims(50, 6.27, 2.15, 1.0, -1.27, -0.82, -0.15, -0.22);
        assertTrue(small.slopesHold(), small.report());
        assertTrue(small.report().contains("-22.0%") && small.report().contains("-15.0%"), small.report());
        // and fails when RNNenc keeps the larger share, whatever the point slopes
        assertFalse(new PaperClaims(50, 6.27, 2.15, 1.0, -1.27, -0.82, -0.22, -0.15).slopesHold());
    }

    @Test
    void theLongSentenceCheckJudgesClaimOneAlone() {
        // this machine's quick run (E1 in the README): claim 1 by 4.45 BLEU, claim 2 missed by 0.1 points
        PaperClaims e1 = new PaperClaims(50, 7.41, 2.96, 2.0, -1.18, -0.46, -0.122, -0.121);
        assertFalse(e1.hold(PaperClaims.Checked.ALL));
        assertTrue(e1.hold(PaperClaims.Checked.LONG_SENTENCES));
        PaperClaims close = new PaperClaims(50, 4.0, 2.5, 2.0, -1.18, -0.46, -0.10, -0.20);
        assertTrue(close.slopesHold());
        assertFalse(close.hold(PaperClaims.Checked.LONG_SENTENCES), "claim 1 is still judged");
        assertFalse(close.hold(PaperClaims.Checked.ALL));
    }

    @Test
    void aMissingModelIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PaperClaims.check(SyntheticResults.result(), 40));
        assertTrue(e.getMessage().contains("RNNsearch-40"), e.getMessage());
    }
}
