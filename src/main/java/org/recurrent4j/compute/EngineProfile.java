package org.recurrent4j.compute;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the time of a {@link ComputeEngine} goes: {@link #record} wraps an engine so that every call is timed (wall
 * time on the calling thread) and counted per operation, products per shape {@code gemm [m × k]·[k × n]} with their
 * rate. What runs outside the engine (DL4J's layers and updaters, ND4J's operations) is the time of a whole
 * iteration minus {@link #totalMillis()}.
 *
 * <p>Each call costs the profile about 0.1 µs (a reflective call, two clock reads, two counters), so a profiled run
 * is slightly slower than an unprofiled one; time with the profile off and read the split from a profiled run.
 * Thread-safe.
 */
public final class EngineProfile {
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** One operation (or one product shape): calls, time and, for products, floating-point operations. */
    public record Entry(String operation, long calls, double millis, double flops) {
        /** @return GFLOP/s of a product, or NaN for other operations */
        public double gflopsPerSecond() {
            return flops == 0 || millis == 0 ? Double.NaN : flops / millis / 1e6;
        }
    }

    private static final class Counter {
        final LongAdder calls = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final DoubleAdder flops = new DoubleAdder();
    }

    /** @return an engine that does what {@code engine} does and records each call in this profile */
    public ComputeEngine record(ComputeEngine engine) {
        InvocationHandler timed = new TimedCalls(engine, this);
        return (ComputeEngine) Proxy.newProxyInstance(ComputeEngine.class.getClassLoader(),
                new Class<?>[] {ComputeEngine.class}, timed);
    }

    /** Forgets everything recorded so far. */
    public void reset() {
        counters.clear();
    }

    /** @return the operations recorded, the most time first */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        counters.forEach((op, c) -> out.add(new Entry(op, c.calls.sum(), c.nanos.sum() / 1e6, c.flops.sum())));
        out.sort(Comparator.comparingDouble(Entry::millis).reversed());
        return out;
    }

    /** @return the time of all recorded calls, in milliseconds */
    public double totalMillis() {
        return entries().stream().mapToDouble(Entry::millis).sum();
    }

    /**
     * @param iterations what to divide by (e.g. the training iterations recorded)
     * @param wallMillis the wall time of those iterations, for each operation's share and the time outside the engine
     * @return a Markdown table: operation, calls and milliseconds per iteration, share of the wall time, GFLOP/s
     */
    public String table(long iterations, double wallMillis) {
        StringBuilder sb = new StringBuilder("| operation | calls / iteration | ms / iteration | share | GFLOP/s |\n"
                + "|---|---|---|---|---|\n");
        double engine = 0;
        for (Entry e : entries()) {
            engine += e.millis();
            sb.append(row(e.operation(), (double) e.calls() / iterations, e.millis() / iterations,
                    e.millis() / wallMillis, e.gflopsPerSecond()));
        }
        sb.append(row("(outside the engine)", Double.NaN, (wallMillis - engine) / iterations,
                (wallMillis - engine) / wallMillis, Double.NaN));
        sb.append(row("(whole iteration)", Double.NaN, wallMillis / iterations, 1, Double.NaN));
        return sb.toString();
    }

    private static String row(String op, double calls, double ms, double share, double rate) {
        return String.format(Locale.ROOT, "| %s | %s | %.3f | %.1f%% | %s |%n", op,
                Double.isNaN(calls) ? "" : String.format(Locale.ROOT, "%.1f", calls), ms, 100 * share,
                Double.isNaN(rate) ? "" : String.format(Locale.ROOT, "%.1f", rate));
    }

    private void add(String operation, long nanos, double flops) {
        Counter c = counters.computeIfAbsent(operation, k -> new Counter());
        c.calls.increment();
        c.nanos.add(nanos);
        if (flops != 0) {
            c.flops.add(flops);
        }
    }

    /** Times each call of the wrapped engine; names products by their shape. */
    private record TimedCalls(ComputeEngine engine, EngineProfile profile) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(proxy, method, args);
            }
            long t0 = System.nanoTime();
            Object result;
            try {
                result = method.invoke(engine, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            long nanos = System.nanoTime() - t0;
            if (method.getName().equals("gemm")) {
                Matrix a = (Matrix) args[1];
                boolean transA = (Boolean) args[2];
                Matrix c = (Matrix) args[6];
                long k = transA ? a.rows() : a.cols();
                profile.add(String.format(Locale.ROOT, "gemm [%d × %d]·[%d × %d]", c.rows(), k, k, c.cols()), nanos,
                        2.0 * c.rows() * c.cols() * k);
            } else {
                profile.add(method.getName(), nanos, 0);
            }
            return result;
        }

        private Object objectMethod(Object proxy, Method method, Object[] args) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "profiled " + engine.describe();
            };
        }
    }
}
