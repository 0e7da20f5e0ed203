package org.recurrent4j.train;

import java.util.List;
import java.util.NoSuchElementException;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/** The given minibatches, as they are and in their order, every epoch (DL4J's {@code ExistingDataSetIterator} for MultiDataSets). */
public final class ListMultiDataSetIterator implements MultiDataSetIterator {
    private final List<? extends MultiDataSet> batches;
    private int next;

    public ListMultiDataSetIterator(List<? extends MultiDataSet> batches) {
        this.batches = List.copyOf(batches);
    }

    @Override
    public boolean hasNext() {
        return next < batches.size();
    }

    @Override
    public MultiDataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + batches.size() + " minibatches given; reset() for another epoch");
        }
        return batches.get(next++);
    }

    @Override
    public MultiDataSet next(int num) {
        throw new UnsupportedOperationException("the minibatches are fixed");
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("the minibatches are given as they are");
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        next = 0;
    }
}
