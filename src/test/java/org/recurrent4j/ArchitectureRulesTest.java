package org.recurrent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of {@code src/site/markdown/architecture.md} (section 2), checked on the main sources
 * ({@link SourceGraph}; Maven runs tests in the project directory):
 * <ul>
 *   <li>each package of {@code compute}, {@code conf} and {@code nn} names only the project packages of its row in
 *       {@link #ALLOWED_PACKAGES}, and no such package is missing from the table;</li>
 *   <li>{@code conf} names of {@code nn} only what {@code instantiate()} and {@code initializer()} (and the vertices'
 *       parameter declaration) hand over, and the values of its public API ({@link #NN_TYPES_CONF_MAY_NAME});</li>
 *   <li>{@code nn} names configuration classes only in {@code nn.convert}, which edits configured layers;</li>
 *   <li>no classes of two packages of {@code compute}, {@code conf} and {@code nn} depend on each other, directly or
 *       through other classes: every strongly connected component of their class graph (same-package references
 *       included) lies in one package. In particular no class of {@code conf} and class of {@code nn} do.</li>
 * </ul>
 */
class ArchitectureRulesTest {
    private static final SourceGraph MAIN = SourceGraph.read(Path.of("src/main/java"));

    /** Package → the project packages it may name (section 2 of architecture.md). */
    private static final Map<String, Set<String>> ALLOWED_PACKAGES = Map.ofEntries(
            Map.entry("compute", Set.of()),
            Map.entry("compute.attention", Set.of("compute")),
            Map.entry("compute.cpu", Set.of("compute")),
            Map.entry("compute.decoder", Set.of("compute", "compute.attention")),
            Map.entry("conf", Set.of("nn.layers", "nn.loss", "nn.params", "nn.weights")),
            Map.entry("conf.graph", Set.of("compute.decoder", "nn.attention", "nn.decoder", "nn.graph", "nn.params")),
            Map.entry("nn.attention", Set.of()),
            Map.entry("nn.convert", Set.of("conf", "nn.params")),
            Map.entry("nn.decoder", Set.of("compute", "compute.attention", "compute.decoder", "nn.engine", "nn.layers",
                    "nn.params")),
            Map.entry("nn.engine", Set.of("compute", "compute.cpu")),
            Map.entry("nn.graph", Set.of("compute", "compute.attention", "compute.decoder", "nn.decoder", "nn.engine",
                    "nn.params")),
            Map.entry("nn.layers", Set.of("compute", "nn.engine", "nn.loss", "nn.params")),
            Map.entry("nn.loss", Set.of("compute", "nn.engine")),
            Map.entry("nn.params", Set.of("compute", "compute.attention", "compute.decoder", "nn.attention",
                    "nn.engine")),
            Map.entry("nn.weights", Set.of()));

    /**
     * The {@code nn} types a configuration may name: the implementations its {@code instantiate()} returns, the
     * parameter initializer of {@code initializer()}, the layouts these receive (plain values built from the
     * configuration), and four values of the configuration API: the default recurrent weight initialisation (stored
     * in the JSON by class name), the Luong score names of the builder, the decoder math of
     * {@code AttentionDecoderVertex#createDecoder}, and the loss {@code RnnSoftmaxOutput} requires (a DL4J loss
     * function, stored in the JSON by class name).
     */
    private static final Set<String> NN_TYPES_CONF_MAY_NAME = Set.of(
            "nn.layers.RecurrentSequenceLayer", "nn.layers.MaskedLstmLayer", "nn.layers.RnnSoftmaxOutputLayer",
            "nn.loss.SoftmaxCrossEntropy", "nn.params.RecurrentParamInitializer",
            "nn.params.CellLayout",
            "nn.graph.AttentionGraphVertex", "nn.graph.AttentionDecoderGraphVertex",
            "nn.graph.TiedEmbeddingDecoderGraphVertex", "nn.params.ParamLayout",
            "nn.params.ScoreLayout", "nn.params.DecoderLayout", "nn.params.TiedDecoderLayout",
            "nn.decoder.AttentionDecoder",
            "nn.weights.OrthogonalInit", "nn.attention.LuongScore");

    private static boolean inConf(String cls) {
        return cls.startsWith("conf.");
    }

    private static boolean inNn(String cls) {
        return cls.startsWith("nn.");
    }

    /** @return whether a package is one of {@code compute}, {@code conf}, {@code nn} or their subpackages */
    private static boolean ruled(String pkg) {
        return pkg.equals("compute") || pkg.startsWith("compute.") || pkg.equals("conf") || pkg.startsWith("conf.")
                || pkg.startsWith("nn.");
    }

    @Test
    void theGraphCountsImportsAndSamePackageNamesButNotComments() {
        Map<String, Set<String>> classes = MAIN.classDependencies();
        assertTrue(classes.get("nn.layers.RecurrentSequenceLayer").contains("nn.params.CellLayout"), "import");
        assertTrue(classes.get("conf.ElmanRnn").contains("conf.RecurrentLayerConf"), "same-package name");
        assertEquals(Set.of(), classes.get("nn.attention.LuongScore"), "qualified names in its Javadoc only");
    }

    @Test
    void everyPackageNamesOnlyTheProjectPackagesOfItsRow() {
        Map<String, Set<String>> actual = MAIN.packageDependencies();
        assertTrue(actual.containsKey("conf.graph"), "main sources not found under src/main/java");
        List<String> offences = new ArrayList<>();
        actual.forEach((pkg, deps) -> {
            if (!ruled(pkg)) {
                return;
            }
            Set<String> allowed = ALLOWED_PACKAGES.get(pkg);
            if (allowed == null) {
                offences.add(pkg + " has no row in the dependency table; it names " + deps);
                return;
            }
            for (String dep : deps) {
                if (!allowed.contains(dep)) {
                    offences.add(pkg + " → " + dep + " (" + namingClasses(pkg, dep) + ")");
                }
            }
        });
        assertEquals(List.of(), offences);
    }

    @Test
    void configurationsNameOfNnOnlyWhatInstantiateAndInitializerHandOver() {
        List<String> offences = edges(ArchitectureRulesTest::inConf,
                t -> inNn(t) && !NN_TYPES_CONF_MAY_NAME.contains(t));
        assertEquals(List.of(), offences);
    }

    @Test
    void onlyNnConvertNamesConfigurationClasses() {
        List<String> offences = edges(c -> inNn(c) && !c.startsWith("nn.convert."), ArchitectureRulesTest::inConf);
        assertEquals(List.of(), offences);
    }

    @Test
    void noClassCycleSpansTwoPackages() {
        List<Set<String>> cycles = MAIN.cycles(c -> ruled(SourceGraph.packageOf(c))).stream()
                .filter(component -> component.stream().map(SourceGraph::packageOf).distinct().count() > 1)
                .toList();
        assertEquals(List.of(), cycles);
    }

    /** @return "A → B" for every class A that {@code from} accepts naming a class B that {@code to} accepts */
    private static List<String> edges(Predicate<String> from, Predicate<String> to) {
        List<String> found = new ArrayList<>();
        MAIN.classDependencies().forEach((cls, targets) -> {
            if (from.test(cls)) {
                targets.stream().filter(to).forEach(t -> found.add(cls + " → " + t));
            }
        });
        return found;
    }

    /** @return the classes of {@code pkg} that name a class of {@code dep} */
    private static Set<String> namingClasses(String pkg, String dep) {
        Set<String> classes = new TreeSet<>();
        MAIN.classDependencies().forEach((cls, targets) -> {
            if (SourceGraph.packageOf(cls).equals(pkg)
                    && targets.stream().anyMatch(t -> SourceGraph.packageOf(t).equals(dep))) {
                classes.add(cls);
            }
        });
        return classes;
    }
}
