package org.recurrent4j.nn.attention;

/**
 * The score functions of Luong et al. 2015, with an optional learned scale {@code s}:
 * <pre>
 *   DOT      e_j = s · qᵀ k_j                 (dq = dk)
 *   GENERAL  e_j = s · qᵀ W k_j               W [dq, dk]; the projected keys are W k_j, once per source
 *   CONCAT   e_j = s · vᵀ tanh(W [q; k_j])    = the additive score without bias
 * </pre>
 * Their parameters and math: {@link org.recurrent4j.nn.params.ScoreLayout},
 * {@link org.recurrent4j.compute.attention.DotScore}, {@link org.recurrent4j.compute.attention.AdditiveScore}.
 */
public final class LuongScore {
    /** The three score functions of Luong et al. 2015. */
    public enum Type { DOT, GENERAL, CONCAT }

    private LuongScore() {
    }
}
