package org.recurrent4j.notebooks;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.MessageHandler;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.Transform;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageType;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 without its start-up race.
 *
 * <p>The kernel's own {@code MainApp} calls {@code Channels.connect}, which binds the sockets and starts the
 * shell and control threads first and only then fills its {@code handlers} map. A request that arrives in
 * between (Jupyter sends {@code kernel_info_request} as soon as it has started the process) makes the shell
 * thread throw a {@code NullPointerException} on {@code handlers}; the thread dies and the kernel never
 * answers ("Kernel didn't respond"). This launcher does what {@code MainApp} does, but first installs a
 * stand-in {@code handlers} map whose handlers wait until {@code connect} has finished and then pass the
 * message on to the kernel's real handler. Nothing is dropped and the kernel itself is unchanged.
 *
 * <p>Usage (as the kernelspec's argv): {@code java -cp rapaio-jupyter-kernel-3.0.1.jar:launcher
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
        channels.connect(kernel);   // binds sockets, starts channel threads, installs the real handlers
        connected.countDown();      // stand-in handlers now forward to the real ones
        LOGGER.info("Kernel channels connected; handlers ready.");
        channels.joinUntilClose();
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
