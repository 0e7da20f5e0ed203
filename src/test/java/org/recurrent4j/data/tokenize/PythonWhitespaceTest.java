package org.recurrent4j.data.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Python 3's whitespace: the 29 code points for which {@code chr(c).isspace()} is true (Python 3.7+). */
class PythonWhitespaceTest {

    private static final int[] PYTHON_SPACES = {
            0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
            0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
            0x2028, 0x2029, 0x202F, 0x205F, 0x3000};

    @Test
    void exactlyPythonsSet() {
        int count = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (PythonWhitespace.isWhitespace(cp)) {
                count++;
            }
        }
        assertEquals(PYTHON_SPACES.length, count);
        for (int cp : PYTHON_SPACES) {
            assertTrue(PythonWhitespace.isWhitespace(cp), Integer.toHexString(cp));
        }
        // not whitespace in Python: zero-width space, BOM, Mongolian vowel separator (since Unicode 6.3)
        assertFalse(PythonWhitespace.isWhitespace(0x200B));
        assertFalse(PythonWhitespace.isWhitespace(0xFEFF));
        assertFalse(PythonWhitespace.isWhitespace(0x180E));
    }

    @Test
    void splitAndStripLikePython() {
        assertEquals(List.of("a", "b"), PythonWhitespace.split("\u2003a \u0085 b\u3000"));
        assertEquals(List.of(), PythonWhitespace.split(" \t "));
        assertEquals("  a b", PythonWhitespace.stripTrailing("  a b \u00A0\n"));
        assertEquals("a\u200B", PythonWhitespace.stripTrailing("a\u200B"));
        assertEquals("", PythonWhitespace.stripTrailing(" \n"));
    }
}
