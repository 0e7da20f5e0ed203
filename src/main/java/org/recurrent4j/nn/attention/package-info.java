/**
 * Names of the attention scores of Luong et al. (2015): {@link org.recurrent4j.nn.attention.LuongScore.Type}
 * ({@code DOT}, {@code GENERAL}, {@code CONCAT}), chosen with the {@code score} option of
 * {@link org.recurrent4j.conf.graph.LuongAttentionVertex}'s builder. The parameters of each score are laid out by
 * {@link org.recurrent4j.nn.params.ScoreLayout}; the math runs in {@code org.recurrent4j.compute.attention}.
 */
package org.recurrent4j.nn.attention;
