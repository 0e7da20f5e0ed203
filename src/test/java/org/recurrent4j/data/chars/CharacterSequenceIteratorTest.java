package org.recurrent4j.data.chars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.recurrent4j.data.DataFileException;
import org.recurrent4j.data.TestFiles;
import org.recurrent4j.data.vocab.CharacterVocabulary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CharacterSequenceIteratorTest {

    @TempDir
    Path dir;

    private static final String TEXT = "abcdefghijklmnopqrstuvwxyz0123456789";

    /** The ids of row {@code r} of a one-hot [mb, V, T] array, by a plain loop; fails unless exactly one-hot. */
    private static int[] decodeRow(INDArray oneHot, int r) {
        int[] out = new int[(int) oneHot.size(2)];
        for (int t = 0; t < out.length; t++) {
            int hot = -1;
            for (int v = 0; v < oneHot.size(1); v++) {
                double x = oneHot.getDouble(r, v, t);
                if (x == 1.0) {
                    assertEquals(-1, hot, "two hot entries");
                    hot = v;
                } else {
                    assertEquals(0.0, x);
                }
            }
            assertTrue(hot >= 0, "no hot entry");
            out[t] = hot;
        }
        return out;
    }

    private static String text(CharacterVocabulary v, int[] ids) {
        return v.decode(ids);
    }

    @Test
    void windowsAreNextCharacterPairsCoveringTheText() {
        CharacterVocabulary v = CharacterVocabulary.of(TEXT);
        CharacterSequenceIterator it = CharacterSequenceIterator.builder().ids(v.encode(TEXT))
                .vocabularySize(v.size()).batchSize(4).sequenceLength(5).seed(1).build();
        // windows start at 0, 5, ..., 30 (7 windows of 6 characters): 2 batches of 4 and 3
        assertEquals(2, it.batchesPerEpoch());
        Set<String> inputs = new HashSet<>();
        List<Integer> rows = new ArrayList<>();
        while (it.hasNext()) {
            DataSet ds = it.next();
            assertTrue(it.startsNewStream());
            rows.add((int) ds.getFeatures().size(0));
            assertEquals(List.of(ds.getFeatures().size(0), (long) v.size(), 5L),
                    List.of(ds.getLabels().size(0), ds.getLabels().size(1), ds.getLabels().size(2)));
            for (int r = 0; r < ds.getFeatures().size(0); r++) {
                String in = text(v, decodeRow(ds.getFeatures(), r));
                String out = text(v, decodeRow(ds.getLabels(), r));
                int start = TEXT.indexOf(in);
                assertEquals(0, start % 5);
                assertEquals(TEXT.substring(start + 1, start + 6), out);
                inputs.add(in);
            }
        }
        assertEquals(List.of(4, 3), rows);
        assertEquals(7, inputs.size());
        assertFalse(it.hasNext());
    }

    @Test
    void streamsContinueRowByRowAcrossBatches() {
        CharacterVocabulary v = CharacterVocabulary.of(TEXT);
        // 36 characters, 3 rows: 35 / 3 = 11 inputs per stream; T = 4 -> chunks of 4, 4, 3
        CharacterSequenceIterator it = CharacterSequenceIterator.builder().ids(v.encode(TEXT)).vocabularySize(v.size())
                .batchSize(3).sequenceLength(4).mode(CharacterSequenceIterator.Mode.STREAMS).build();
        assertFalse(it.asyncSupported());
        StringBuilder[] rows = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
        List<Boolean> starts = new ArrayList<>();
        List<Long> lengths = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            for (StringBuilder sb : rows) {
                sb.setLength(0);
            }
            starts.clear();
            lengths.clear();
            while (it.hasNext()) {
                DataSet ds = it.next();
                starts.add(it.startsNewStream());
                lengths.add(ds.getFeatures().size(2));
                for (int r = 0; r < 3; r++) {
                    String in = text(v, decodeRow(ds.getFeatures(), r));
                    String out = text(v, decodeRow(ds.getLabels(), r));
                    assertEquals(in.substring(1), out.substring(0, out.length() - 1)); // labels = inputs shifted
                    rows[r].append(in);
                }
            }
            assertEquals(List.of(true, false, false), starts);
            assertEquals(List.of(4L, 4L, 3L), lengths);
            assertEquals(TEXT.substring(0, 11), rows[0].toString());
            assertEquals(TEXT.substring(11, 22), rows[1].toString());
            assertEquals(TEXT.substring(22, 33), rows[2].toString());
            it.reset();
        }
    }

    @Test
    void resetReshufflesWindowsReproducibly() {
        CharacterVocabulary v = CharacterVocabulary.of(TEXT);
        CharacterSequenceIterator a = CharacterSequenceIterator.builder().ids(v.encode(TEXT)).vocabularySize(v.size())
                .batchSize(7).sequenceLength(5).seed(9).build();
        CharacterSequenceIterator b = CharacterSequenceIterator.builder().ids(v.encode(TEXT)).vocabularySize(v.size())
                .batchSize(7).sequenceLength(5).seed(9).build();
        INDArray a0 = a.next().getFeatures();
        assertEquals(a0, b.next().getFeatures());
        a.reset();
        b.setEpoch(1);
        assertEquals(b.next().getFeatures(), a.next().getFeatures());
    }

    @Test
    void tinyShakespeareSplitAndVocabulary() throws Exception {
        Path file = Path.of("../shared/datasets/tinyshakespeare/input.txt");
        assertTrue(Files.exists(file), "missing " + file.toAbsolutePath());
        CharacterCorpus c = CharacterCorpus.load(file, 0.1);
        assertEquals(65, c.vocabulary().size());
        String text = Files.readString(file);
        assertEquals(text.length(), c.train().length + c.validation().length);
        assertEquals(Math.round(text.length() * 0.9), c.train().length);
        assertArrayEquals(c.vocabulary().encode(text.substring(0, 50)), java.util.Arrays.copyOf(c.train(), 50));
        assertEquals(text.substring(c.train().length, c.train().length + 40),
                c.vocabulary().decode(java.util.Arrays.copyOf(c.validation(), 40)));
        Path vocab = dir.resolve("chars.txt");
        c.vocabulary().save(vocab);
        assertEquals(c.vocabulary(), CharacterVocabulary.load(vocab));
    }

    @Test
    void badCorpusFiles() throws Exception {
        Path latin1 = TestFiles.bytes(dir.resolve("l1.txt"), new byte[]{'a', (byte) 0xE9, 'b', 'c'});
        assertThrows(DataFileException.class, () -> CharacterCorpus.load(latin1, 0.1));
        assertThrows(DataFileException.class, () -> CharacterCorpus.load(dir.resolve("missing.txt"), 0.1));
        Path tiny = TestFiles.lines(dir.resolve("tiny.txt"), "ab");
        assertThrows(DataFileException.class, () -> CharacterCorpus.load(tiny, 0.5));
    }
}
