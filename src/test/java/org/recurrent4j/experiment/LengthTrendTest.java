package org.recurrent4j.experiment;

import org.junit.jupiter.api.Test;
import org.recurrent4j.eval.Bleu;
import org.recurrent4j.eval.BleuByLength;
import org.recurrent4j.eval.BleuByLengthResult;
import org.recurrent4j.eval.BleuScore;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LengthTrendTest {

    @Test
    void weightedSlopeMatchesHandComputation() {
        // midpoints 4.5, 14.5, 24.5 with weights 10, 30, 10: x̄ = 725/50 = 14.5, ȳ = (200 + 450 + 50)/50 = 14,
        // Sxy = 10·(−10)·6 + 30·0·1 + 10·10·(−9) = −1500, Sxx = 10·100 + 0 + 10·100 = 2000 → slope −0.75
        LengthTrend t = LengthTrend.fit(List.of(new LengthTrend.Point(4.5, 10, 20), new LengthTrend.Point(14.5, 30, 15),
                new LengthTrend.Point(24.5, 10, 5)));
        assertEquals(-0.75, t.slope(), 1e-12);
        assertEquals(-7.5, t.slopePer10Tokens(), 1e-12);
        assertEquals(3, t.buckets());
        assertEquals(50, t.sentences());
    }

    @Test
    void logSlopeIsTheRelativeChange() {
        // BLEU halves every 10 tokens: ln y = ln 40 − (ln 2 / 10)·(x − 4.5) exactly, whatever the weights
        LengthTrend t = LengthTrend.fit(List.of(new LengthTrend.Point(4.5, 10, 40), new LengthTrend.Point(14.5, 3, 20),
                new LengthTrend.Point(24.5, 50, 10), new LengthTrend.Point(34.5, 7, 5)));
        assertEquals(-Math.log(2) / 10, t.logSlope(), 1e-12);
        assertEquals(-0.5, t.relativeChangePer10Tokens(), 1e-12);
        // the same shape at a tenth of the level has a tenth of the point slope and the same relative change
        LengthTrend low = LengthTrend.fit(List.of(new LengthTrend.Point(4.5, 10, 4), new LengthTrend.Point(14.5, 3, 2),
                new LengthTrend.Point(24.5, 50, 1), new LengthTrend.Point(34.5, 7, 0.5)));
        assertEquals(t.slope() / 10, low.slope(), 1e-12);
        assertEquals(-0.5, low.relativeChangePer10Tokens(), 1e-12);
    }

    @Test
    void aBucketWithBleuZeroCountsAsTheFloorInTheLogFit() {
        LengthTrend t = LengthTrend.fit(List.of(new LengthTrend.Point(4.5, 1, 1), new LengthTrend.Point(14.5, 1, 0)));
        assertEquals(Math.log(LengthTrend.LOG_FLOOR) / 10, t.logSlope(), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> LengthTrend.fit(List.of(new LengthTrend.Point(4.5, 1, -1), new LengthTrend.Point(14.5, 1, 0))));
    }

    @Test
    void weightsChangeTheSlope() {
        // same points, the middle one now light: x̄ = (45 + 14.5 + 245)/21 = 14.5, ȳ = (200 + 15 + 50)/21,
        // Sxy = 10·(−10)·(20 − ȳ) + 10·10·(5 − ȳ) = 100·(5 − 20) = −1500, Sxx = 2000 → still −0.75 (symmetric);
        // move the light point: weights 10, 1, 30 → x̄ = (45 + 14.5 + 735)/41
        List<LengthTrend.Point> p = List.of(new LengthTrend.Point(4.5, 10, 20), new LengthTrend.Point(14.5, 1, 15),
                new LengthTrend.Point(24.5, 30, 5));
        double w = 41;
        double mx = (10 * 4.5 + 14.5 + 30 * 24.5) / w;
        double my = (10 * 20 + 15 + 30 * 5) / w;
        double sxy = 10 * (4.5 - mx) * (20 - my) + (14.5 - mx) * (15 - my) + 30 * (24.5 - mx) * (5 - my);
        double sxx = 10 * (4.5 - mx) * (4.5 - mx) + (14.5 - mx) * (14.5 - mx) + 30 * (24.5 - mx) * (24.5 - mx);
        assertEquals(sxy / sxx, LengthTrend.fit(p).slope(), 1e-12);
    }

    @Test
    void fewerThanTwoPointsHaveNoSlope() {
        assertTrue(Double.isNaN(LengthTrend.fit(List.of(new LengthTrend.Point(4.5, 10, 20))).slope()));
        assertTrue(Double.isNaN(LengthTrend.fit(List.of()).slope()));
        assertTrue(Double.isNaN(LengthTrend.fit(List.of()).relativeChangePer10Tokens()));
    }

    @Test
    void pointsKeepOnlyBucketsWithEnoughSentencesAndAFiniteRange() {
        BleuScore s = Bleu.corpusScore(List.of("a b c d e"), List.of(List.of("a b c d e")));
        BleuByLengthResult r = new BleuByLengthResult(List.of(
                new BleuByLengthResult.Bucket(0, 9, 5, s),
                new BleuByLengthResult.Bucket(10, 19, 4, s),
                new BleuByLengthResult.Bucket(20, 29, 0, null),
                new BleuByLengthResult.Bucket(30, 39, 7, s),
                new BleuByLengthResult.Bucket(40, BleuByLength.OPEN, 9, s)), s, 0, 0);
        List<LengthTrend.Point> points = LengthTrend.points(r, 5);
        assertEquals(List.of(new LengthTrend.Point(4.5, 5, s.score()), new LengthTrend.Point(34.5, 7, s.score())), points);
        assertEquals(0.0, LengthTrend.of(r, 5).slope(), 1e-12);
    }
}
