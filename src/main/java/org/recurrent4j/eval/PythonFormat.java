package org.recurrent4j.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Number formatting exactly as Python's {@code f"{x:.Nf}"}, which sacreBLEU uses for its result lines. */
final class PythonFormat {

    private PythonFormat() {
    }

    /**
     * Python rounds the exact binary value of {@code x} half-to-even, whereas {@code String.format("%.2f")}
     * rounds a shortest decimal representation half-up (2.675 → "2.68" in Java, "2.67" in Python).
     *
     * @return {@code x} with exactly {@code decimals} digits after the point, as Python's {@code :.{decimals}f}
     */
    static String fixed(double x, int decimals) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("PythonFormat.fixed: x must be finite, got " + x);
        }
        String s = new BigDecimal(x).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        // Python keeps the sign of a negative number that rounds to zero ("-0.00"); BigDecimal drops it
        if ((x < 0 || (x == 0 && 1 / x < 0)) && !s.startsWith("-")) {
            s = "-" + s;
        }
        return s;
    }
}
