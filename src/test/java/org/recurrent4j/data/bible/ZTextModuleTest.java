package org.recurrent4j.data.bible;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The zText format, on a module written by the test itself, independent of any Debian package. */
class ZTextModuleTest {

    private static final KjvVersification KJV = KjvVersification.kjv();

    @Test
    void versificationCounts() {
        assertEquals(66, KJV.books().size());
        assertEquals(1189, KJV.chapterCount());
        assertEquals(31102, KJV.verses().size());
        // slots: 2 headers + one per book, chapter and verse
        assertEquals(2 + 39 + 929 + 23145, KJV.slotCount(KjvVersification.Testament.OLD));
        assertEquals(2 + 27 + 260 + 7957, KJV.slotCount(KjvVersification.Testament.NEW));
        assertEquals(4, KJV.slot(KJV.find("Gen", 1, 1)));       // 0 module, 1 testament, 2 Genesis, 3 chapter 1
        assertEquals(4 + 31 + 1, KJV.slot(KJV.find("Gen", 2, 1)));
        assertEquals(4, KJV.slot(KJV.find("Matt", 1, 1)));
        assertEquals(176, KJV.find("Ps", 119, 176).verse());
        assertThrows(IllegalArgumentException.class, () -> KJV.find("Ps", 119, 177));
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        byte[] buf = new byte[data.length + 64];
        int n = d.deflate(buf);
        d.end();
        return java.util.Arrays.copyOf(buf, n);
    }

    /** A module with the given texts at the given slots of each testament, in two blocks per testament. */
    private static Map<String, byte[]> module(Map<Integer, String> ot, Map<Integer, String> nt) {
        Map<String, byte[]> files = new HashMap<>();
        for (KjvVersification.Testament t : KjvVersification.Testament.values()) {
            Map<Integer, String> texts = t == KjvVersification.Testament.OLD ? ot : nt;
            int slots = KJV.slotCount(t);
            ByteBuffer bzv = ByteBuffer.allocate(slots * 10).order(ByteOrder.LITTLE_ENDIAN);
            ByteArrayOutputStream[] blocks = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
            for (Map.Entry<Integer, String> e : texts.entrySet()) {
                int block = e.getKey() % 2;
                byte[] text = e.getValue().getBytes(StandardCharsets.UTF_8);
                bzv.putInt(e.getKey() * 10, block).putInt(e.getKey() * 10 + 4, blocks[block].size())
                        .putShort(e.getKey() * 10 + 8, (short) text.length);
                blocks[block].writeBytes(text);
            }
            ByteArrayOutputStream bzz = new ByteArrayOutputStream();
            ByteBuffer bzs = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            for (ByteArrayOutputStream b : blocks) {
                byte[] z = deflate(b.toByteArray());
                bzs.putInt(bzz.size()).putInt(z.length).putInt(b.size());
                bzz.writeBytes(z);
            }
            files.put(t.filePrefix() + ".bzv", bzv.array());
            files.put(t.filePrefix() + ".bzs", bzs.array());
            files.put(t.filePrefix() + ".bzz", bzz.toByteArray());
        }
        return files;
    }

    @Test
    void readsVersesFromBlocksByIndex() {
        VerseRef gen11 = KJV.find("Gen", 1, 1);
        VerseRef gen12 = KJV.find("Gen", 1, 2);
        VerseRef john316 = KJV.find("John", 3, 16);
        Map<String, byte[]> files = module(
                Map.of(KJV.slot(gen11), "In the <w>beginning</w>", KJV.slot(gen12), "Y la tierra estaba desordenada"),
                Map.of(KJV.slot(john316), "Porque de tal manera amó Dios al mundo"));
        ZTextModule m = new ZTextModule("test", files, KJV);
        assertEquals("In the <w>beginning</w>", m.rawText(gen11));
        assertEquals("Y la tierra estaba desordenada", m.rawText(gen12));
        assertEquals("Porque de tal manera amó Dios al mundo", m.rawText(john316));
        assertEquals("", m.rawText(KJV.find("John", 3, 17)));
    }

    @Test
    void rejectsWrongIndexSizeAndMissingFiles() {
        Map<String, byte[]> files = module(Map.of(), Map.of());
        files.put("nt.bzv", new byte[10 * 100]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ZTextModule("short", files, KJV));
        assertTrue(e.getMessage().contains("nt.bzv has 1000 bytes"), e.getMessage());
        files.remove("nt.bzv");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ZTextModule("missing", files, KJV))
                .getMessage().contains("nt.bzv is missing"));
    }
}
