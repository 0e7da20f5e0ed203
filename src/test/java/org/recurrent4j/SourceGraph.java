package org.recurrent4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The class dependency graph of the project's main sources, read from the source text: class A depends on class B
 * when A's code (comments and string literals removed) names B, by an import (static ones included), by a fully
 * qualified name, or, for B in A's package, by its simple name. Classes are top-level types, named relative to
 * {@code org.recurrent4j} (e.g. {@code conf.Gru}); a nested type counts as its top-level type.
 */
final class SourceGraph {
    private static final String ROOT_PACKAGE = "org.recurrent4j";
    private static final Pattern QUALIFIED_NAME =
            Pattern.compile("\\borg\\.recurrent4j\\.((?:[a-z][a-z0-9_]*\\.)+)([A-Z]\\w*)");
    private static final Pattern WILDCARD_IMPORT =
            Pattern.compile("\\bimport\\s+(static\\s+)?org\\.recurrent4j\\.[\\w.]*\\*");

    /** class → the classes it names (never itself) */
    private final Map<String, Set<String>> edges;

    private SourceGraph(Map<String, Set<String>> edges) {
        this.edges = edges;
    }

    /** @return the graph of every {@code .java} file under {@code sourceRoot/org/recurrent4j}, package-info excluded */
    static SourceGraph read(Path sourceRoot) {
        Map<String, String> code = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sourceRoot.resolve(ROOT_PACKAGE.replace('.', '/')))) {
            for (Path f : files.filter(SourceGraph::isClassSource).toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                code.put(className(sourceRoot, f), withoutCommentsAndLiterals(text));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Set<String>> edges = new TreeMap<>();
        code.forEach((cls, text) -> edges.put(cls, namedClasses(cls, text, code.keySet())));
        return new SourceGraph(edges);
    }

    private static boolean isClassSource(Path f) {
        String name = f.getFileName().toString();
        return name.endsWith(".java") && !name.equals("package-info.java");
    }

    private static String className(Path sourceRoot, Path file) {
        String relative = sourceRoot.relativize(file).toString().replace('\\', '/');
        return relative.substring(ROOT_PACKAGE.length() + 1, relative.length() - ".java".length()).replace('/', '.');
    }

    /** @return the package of a class, relative to the root package (e.g. {@code conf.graph}) */
    static String packageOf(String cls) {
        return cls.substring(0, cls.lastIndexOf('.'));
    }

    private static Set<String> namedClasses(String cls, String code, Set<String> allClasses) {
        if (WILDCARD_IMPORT.matcher(code).find()) {
            throw new IllegalStateException(cls + ": wildcard imports of project packages hide dependencies");
        }
        Set<String> named = new TreeSet<>();
        Matcher m = QUALIFIED_NAME.matcher(code);
        while (m.find()) {
            String target = m.group(1) + m.group(2);
            if (allClasses.contains(target)) {
                named.add(target);
            }
        }
        String pkg = packageOf(cls);
        for (String other : allClasses) {
            String simpleName = other.substring(other.lastIndexOf('.') + 1);
            if (packageOf(other).equals(pkg) && Pattern.compile("\\b" + simpleName + "\\b").matcher(code).find()) {
                named.add(other);
            }
        }
        named.remove(cls);
        return named;
    }

    /** @return the source text without comments, string and character literals (line breaks kept) */
    private static String withoutCommentsAndLiterals(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        while (i < src.length()) {
            if (src.startsWith("//", i)) {
                int lineBreak = src.indexOf('\n', i + 2);
                i = lineBreak < 0 ? src.length() : lineBreak;   // the line break itself is kept
            } else if (src.startsWith("/*", i)) {
                i = indexAfter(src, "*/", i + 2);
            } else if (src.startsWith("\"\"\"", i)) {
                i = indexAfter(src, "\"\"\"", i + 3);
            } else if (src.charAt(i) == '"' || src.charAt(i) == '\'') {
                i = indexAfterLiteral(src, i);
            } else {
                out.append(src.charAt(i));
                i++;
            }
        }
        return out.toString();
    }

    /** @return the index after the first {@code end} at or after {@code from}, or the length of the text */
    private static int indexAfter(String src, String end, int from) {
        int at = src.indexOf(end, from);
        return at < 0 ? src.length() : at + end.length();
    }

    /** @return the index after the string or character literal that starts at {@code start} */
    private static int indexAfterLiteral(String src, int start) {
        char quote = src.charAt(start);
        int i = start + 1;
        while (i < src.length() && src.charAt(i) != quote) {
            i += src.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    /** @return class → the classes it names */
    Map<String, Set<String>> classDependencies() {
        return edges;
    }

    /** @return package → the other packages its classes name */
    Map<String, Set<String>> packageDependencies() {
        Map<String, Set<String>> packages = new TreeMap<>();
        edges.forEach((cls, targets) -> {
            Set<String> deps = packages.computeIfAbsent(packageOf(cls), p -> new TreeSet<>());
            targets.stream().map(SourceGraph::packageOf).filter(p -> !p.equals(packageOf(cls))).forEach(deps::add);
        });
        return packages;
    }

    /**
     * @return the strongly connected components with more than one class of the graph restricted to the classes
     *     {@code included} accepts (Tarjan's algorithm); each component is a set of classes that depend on each other
     */
    List<Set<String>> cycles(Predicate<String> included) {
        return new Tarjan(included).components();
    }

    /** Tarjan's strongly connected components, iterative over an explicit stack of successor iterators. */
    private final class Tarjan {
        private final Predicate<String> included;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> lowLink = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<Set<String>> components = new ArrayList<>();

        Tarjan(Predicate<String> included) {
            this.included = included;
        }

        List<Set<String>> components() {
            edges.keySet().stream().filter(included).filter(c -> !index.containsKey(c)).forEach(this::visit);
            return components;
        }

        private List<String> successors(String cls) {
            return edges.getOrDefault(cls, Set.of()).stream().filter(included).toList();
        }

        private void visit(String root) {
            Deque<Object[]> frames = new ArrayDeque<>();   // {class, successors, next successor position}
            open(root, frames);
            while (!frames.isEmpty()) {
                Object[] frame = frames.peek();
                String cls = (String) frame[0];
                @SuppressWarnings("unchecked")
                List<String> next = (List<String>) frame[1];
                int pos = (Integer) frame[2];
                if (pos < next.size()) {
                    frame[2] = pos + 1;
                    String succ = next.get(pos);
                    if (!index.containsKey(succ)) {
                        open(succ, frames);
                    } else if (onStack.contains(succ)) {
                        lowLink.put(cls, Math.min(lowLink.get(cls), index.get(succ)));
                    }
                    continue;
                }
                frames.pop();
                if (!frames.isEmpty()) {
                    String parent = (String) frames.peek()[0];
                    lowLink.put(parent, Math.min(lowLink.get(parent), lowLink.get(cls)));
                }
                if (lowLink.get(cls).equals(index.get(cls))) {
                    closeComponent(cls);
                }
            }
        }

        private void open(String cls, Deque<Object[]> frames) {
            index.put(cls, index.size());
            lowLink.put(cls, index.get(cls));
            stack.push(cls);
            onStack.add(cls);
            frames.push(new Object[] {cls, successors(cls), 0});
        }

        private void closeComponent(String root) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(root));
            if (component.size() > 1) {
                components.add(component);
            }
        }
    }
}
