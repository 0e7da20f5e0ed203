package org.recurrent4j.lm;

import java.util.Locale;
import java.util.Properties;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.RecurrentLayerConf;

/**
 * Everything that defines a char-rnn training run (besides the text and the budget); saved with each checkpoint so
 * that a resumed run continues with exactly these values.
 *
 * @param cell               recurrent cell
 * @param hidden             units per recurrent layer
 * @param layers             stacked recurrent layers, ≥ 1
 * @param batchSize          parallel streams (minibatch rows)
 * @param chunkLength        time steps per minibatch (consecutive chunks continue the streams)
 * @param k1                 TBPTT: steps between updates
 * @param k2                 TBPTT: steps each update backpropagates through
 * @param clipNorm           global-norm clipping threshold, 0 = none
 * @param learningRate       Adam's learning rate
 * @param seed               parameter initialisation seed
 * @param validationFraction share of the text (its end) held out for validation
 * @param dataType           FLOAT or DOUBLE
 */
public record CharRnnSettings(CellType cell, int hidden, int layers, int batchSize, int chunkLength, int k1, int k2,
                              double clipNorm, double learningRate, long seed, double validationFraction,
                              DataType dataType) {

    /** Validates every value (clear messages naming the setting). */
    public CharRnnSettings {
        require(cell != null, "cell", "gru, elman or lstm", cell);
        require(hidden >= 1, "hidden", ">= 1", hidden);
        require(layers >= 1, "layers", ">= 1", layers);
        require(batchSize >= 1, "batchSize", ">= 1", batchSize);
        require(chunkLength >= 1, "chunkLength", ">= 1", chunkLength);
        require(k1 >= 1 && k1 <= chunkLength, "k1", "in [1, chunkLength = " + chunkLength + "]", k1);
        require(k2 >= 1 && k2 <= chunkLength, "k2", "in [1, chunkLength = " + chunkLength + "]", k2);
        require(clipNorm >= 0 && Double.isFinite(clipNorm), "clipNorm", ">= 0 (0 = no clipping)", clipNorm);
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate", "> 0", learningRate);
        require(validationFraction > 0 && validationFraction < 1, "validationFraction", "in (0, 1)", validationFraction);
        require(dataType == DataType.FLOAT || dataType == DataType.DOUBLE, "dataType", "FLOAT or DOUBLE", dataType);
    }

    private static void require(boolean ok, String name, String expected, Object actual) {
        if (!ok) {
            throw new IllegalArgumentException("CharRnnSettings: " + name + " must be " + expected + ", got " + actual);
        }
    }

    /** @return a new, initialised network: the recurrent layers and a softmax output layer over {@code vocabularySize} */
    public MultiLayerNetwork newNetwork(int vocabularySize) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed).dataType(dataType)
                .updater(new Adam(learningRate)).weightInit(WeightInit.XAVIER).list();
        for (int i = 0; i < layers; i++) {
            Layer layer = cell.layer(i == 0 ? vocabularySize : hidden, hidden);
            if (i == 0 && layer instanceof RecurrentLayerConf first) {
                first.setInputGradient(false);                       // one-hot characters need no gradient
            }
            list.layer(layer);
        }
        list.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nIn(hidden).nOut(vocabularySize).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** @return the settings as properties (for the checkpoint) */
    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("cell", cell.cliName());
        p.setProperty("hidden", Integer.toString(hidden));
        p.setProperty("layers", Integer.toString(layers));
        p.setProperty("batchSize", Integer.toString(batchSize));
        p.setProperty("chunkLength", Integer.toString(chunkLength));
        p.setProperty("k1", Integer.toString(k1));
        p.setProperty("k2", Integer.toString(k2));
        p.setProperty("clipNorm", Double.toString(clipNorm));
        p.setProperty("learningRate", Double.toString(learningRate));
        p.setProperty("seed", Long.toString(seed));
        p.setProperty("validationFraction", Double.toString(validationFraction));
        p.setProperty("dataType", dataType.name().toLowerCase(Locale.ROOT));
        return p;
    }

    /** Reads settings written by {@link #toProperties}; a missing key is an error naming it. */
    public static CharRnnSettings fromProperties(Properties p) {
        return new CharRnnSettings(CellType.parse(get(p, "cell")), Integer.parseInt(get(p, "hidden")),
                Integer.parseInt(get(p, "layers")), Integer.parseInt(get(p, "batchSize")),
                Integer.parseInt(get(p, "chunkLength")), Integer.parseInt(get(p, "k1")), Integer.parseInt(get(p, "k2")),
                Double.parseDouble(get(p, "clipNorm")), Double.parseDouble(get(p, "learningRate")),
                Long.parseLong(get(p, "seed")), Double.parseDouble(get(p, "validationFraction")),
                DataType.valueOf(get(p, "dataType").toUpperCase(Locale.ROOT)));
    }

    static String get(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("CharRnnSettings: the saved training state lacks '" + key + "'");
        }
        return v;
    }
}
