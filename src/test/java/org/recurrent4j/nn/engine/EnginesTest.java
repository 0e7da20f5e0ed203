package org.recurrent4j.nn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.compute.EngineProfile;
import org.recurrent4j.compute.cpu.CpuEngine;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.RnnSoftmaxOutput;
import org.recurrent4j.nn.loss.SoftmaxCrossEntropy;

/** {@link Engines}: the profile covers the layers built while it is on, and only those; stopping it restores the CPU engine. */
class EnginesTest {
    private static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).list()
                .layer(new ElmanRnn.Builder().nIn(3).nOut(4).build())
                .layer(new RnnSoftmaxOutput.Builder(new SoftmaxCrossEntropy()).nIn(4).nOut(2).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void aProfileRecordsTheLayersBuiltWhileItIsOn() {
        MultiLayerNetwork before = network();
        EngineProfile profile = Engines.startProfiling();
        try {
            assertSame(profile, Engines.startProfiling());
            assertNotSame(CpuEngine.get(), Engines.current());
            MultiLayerNetwork during = network();
            before.output(Nd4j.rand(DataType.FLOAT, 2, 3, 5));
            assertEquals(0, profile.entries().size(), "a layer built before the profile is not recorded");
            during.output(Nd4j.rand(DataType.FLOAT, 2, 3, 5));
            long steps = profile.entries().stream().filter(e -> e.operation().equals("activation"))
                    .mapToLong(EngineProfile.Entry::calls).sum();
            assertEquals(5, steps, "one activation per step: " + profile.entries());
        } finally {
            Engines.stopProfiling();
        }
        assertSame(CpuEngine.get(), Engines.current());
    }
}
