package org.recurrent4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Python's {@code f"{x:.Nf}"} rounds the exact binary value half-to-even; the Python documentation's own example
 * (tutorial, "Floating Point Arithmetic: Issues and Limitations"): {@code round(2.675, 2)} gives 2.67.
 */
class PythonFormatTest {

    @Test
    void roundsLikePython() {
        assertEquals("2.67", PythonFormat.fixed(2.675, 2));  // 2.675 is 2.67499999... in binary
        assertEquals("0.12", PythonFormat.fixed(0.125, 2));  // exact tie -> even (Java's %.2f gives 0.13)
        assertEquals("0.38", PythonFormat.fixed(0.375, 2));  // exact tie -> even
        assertEquals("2", PythonFormat.fixed(2.5, 0));
        assertEquals("48.53", PythonFormat.fixed(48.530827, 2));
        assertEquals("0.000", PythonFormat.fixed(0.0, 3));
        assertEquals("100.0", PythonFormat.fixed(100.0, 1));
        assertEquals("-0.00", PythonFormat.fixed(-0.001, 2));
    }
}
