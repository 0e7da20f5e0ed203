/**
 * Charts drawn with XChart. {@link org.recurrent4j.plot.AttentionHeatmap} draws the attention weights of one
 * translation as a grey-scale heat map (source words across, target words down).
 * {@link org.recurrent4j.plot.ChartFiles} creates line charts and writes charts as PNG and SVG atomically, so a crash
 * never leaves a half-written image.
 */
package org.recurrent4j.plot;
