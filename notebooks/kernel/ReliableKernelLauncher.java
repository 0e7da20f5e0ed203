package org.recurrent4j.notebooks;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.channels.MessageHandler;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.Transform;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageType;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 without its start-up races.
 *
 * <p>Two races make about 1 start in 3 fail with "Kernel didn't respond" on a loaded machine:
 * <ol>
 *   <li>its {@code LoopThread} may end before its first iteration; fixed by the replacement
 *       {@code org.rapaio.jupyter.kernel.channels.LoopThread} that comes before the kernel jar on the class
 *       path (checked here);</li>
 *   <li>{@code Channels.connect} binds the sockets and starts the shell and control threads first and only
 *       then fills its {@code handlers} map; a request that arrives in between (Jupyter sends
 *       {@code kernel_info_request} as soon as the process runs) meets a {@code null} map. This launcher does
 *       what the kernel's {@code MainApp} does, but first installs a stand-in {@code handlers} map whose
 *       handlers wait until {@code connect} has finished and then pass the message on to the real handler.</li>
 * </ol>
 *
 * <p>Usage (the kernelspec's argv): {@code java -cp launcher:rapaio-jupyter-kernel-3.0.1.jar
 * org.recurrent4j.notebooks.ReliableKernelLauncher {connection_file}}.
 */
public final class ReliableKernelLauncher {

    private static final Logger LOGGER = Logger.getLogger(ReliableKernelLauncher.class.getSimpleName());

    private ReliableKernelLauncher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("ReliableKernelLauncher: expected 1 argument (the Jupyter "
                    + "connection file), got " + args.length);
        }
        requireLoopThreadReplacement();
        LogManager.getLogManager().readConfiguration(
                MainApp.class.getClassLoader().getResourceAsStream("logging.properties"));
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            throw new IllegalArgumentException("ReliableKernelLauncher: connection file '" + connectionFile
                    + "' is not a regular file");
        }
        ConnectionProperties connProps = Transform.fromJson(Files.readString(connectionFile),
                ConnectionProperties.class);
        if ("ipc".equals(connProps.transport())) {
            throw new IllegalArgumentException("ReliableKernelLauncher: transport 'ipc' is not supported, use tcp");
        }

        RapaioKernel kernel = MainApp.kernel; // the kernel instance that display(...) in notebooks talks to
        Channels channels = new Channels(connProps);
        CountDownLatch connected = new CountDownLatch(1);
        kernel.registerChannels(channels);
        installWaitingHandlers(channels, connected);
        try {
            channels.connect(kernel);   // binds sockets, starts channel threads, installs the real handlers
        } catch (RuntimeException e) {
            // the channel threads are not daemons: exit, so that Jupyter sees a dead kernel instead of a silent one
            LOGGER.log(Level.SEVERE, "ReliableKernelLauncher: connecting the kernel's channels failed", e);
            System.exit(1);
        }
        connected.countDown();      // stand-in handlers now forward to the real ones
        LOGGER.info("Kernel channels connected; handlers ready.");
        channels.joinUntilClose();
    }

    /** Fails unless the race-free {@code LoopThread} replacement shadows the kernel jar's class. */
    private static void requireLoopThreadReplacement() {
        var loopThreadAt = LoopThread.class.getProtectionDomain().getCodeSource().getLocation();
        var launcherAt = ReliableKernelLauncher.class.getProtectionDomain().getCodeSource().getLocation();
        if (!loopThreadAt.equals(launcherAt)) {
            throw new IllegalStateException("ReliableKernelLauncher: LoopThread must be loaded from " + launcherAt
                    + " (the race-free replacement), but was loaded from " + loopThreadAt
                    + "; put the launcher folder before the kernel jar on the class path");
        }
    }

    /** Puts a map into {@code Channels.handlers} whose every handler waits for {@code connected}, then forwards. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void installWaitingHandlers(Channels channels, CountDownLatch connected) throws ReflectiveOperationException {
        Map<MessageType<?>, MessageHandler> waiting = new AbstractMap<>() {
            @Override
            public MessageHandler get(Object key) {
                MessageType<?> type = (MessageType<?>) key;
                return message -> {
                    awaitUninterruptibly(connected);
                    MessageHandler real = channels.getHandler(type);
                    if (real == null) {
                        LOGGER.severe("Unhandled message during start-up: " + type.name());
                        return;
                    }
                    real.handle((Message) message);
                };
            }

            @Override
            public Set<Entry<MessageType<?>, MessageHandler>> entrySet() {
                return Set.of();
            }
        };
        Field handlers = Channels.class.getDeclaredField("handlers");
        handlers.setAccessible(true);
        handlers.set(channels, waiting);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
