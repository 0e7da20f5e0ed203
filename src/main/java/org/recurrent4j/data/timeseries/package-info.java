/**
 * Time-series data. {@link org.recurrent4j.data.timeseries.SyntheticControlData} reads the UCI Synthetic Control Chart
 * data set (600 series of 60 values, 6 classes) as many-to-one sequence classification, through DataVec's sequence
 * record readers: a fixed train/test split, optional standardisation, and DL4J {@code DataSetIterator}s with a label
 * mask on the last step. The {@code uci-classify} command uses it.
 */
package org.recurrent4j.data.timeseries;
