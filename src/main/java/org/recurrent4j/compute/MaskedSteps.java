package org.recurrent4j.compute;

/** What a masked time step (mask 0) does to the recurrent state; either way its output is zero. */
public enum MaskedSteps {
    /** the state passes through unchanged to the next step: left and right padding both work */
    KEEP_STATE,
    /** the state becomes zero, {@code h_t = m_t · h'_t} (DL4J's {@code SimpleRnn}) */
    ZERO_STATE
}
