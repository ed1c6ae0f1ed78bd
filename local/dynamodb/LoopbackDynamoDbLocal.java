import java.lang.reflect.Field;
import java.net.BindException;
import java.util.Arrays;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local bound to 127.0.0.1 only. The jar has no host option and
 * listens on every interface, so this sets the Jetty connector's host before the
 * server starts. Takes DynamoDB Local's own arguments; "-port 0" (which the jar
 * itself rejects) lets the OS pick a free port, so parallel runs never race for one.
 * Prints "DynamoDB Local listening on 127.0.0.1:<port>" once the socket is bound,
 * or, when the port is taken, one line naming it (with EADDRINUSE) and exits 1.
 * With -DexitWhenStdinCloses=true it exits when its parent goes away, however it died.
 */
public final class LoopbackDynamoDbLocal {
    public static void main(String[] args) throws Exception {
        int portIndex = Arrays.asList(args).indexOf("-port") + 1;
        boolean ephemeralPort = portIndex > 0 && portIndex < args.length && args[portIndex].equals("0");
        if (ephemeralPort) args[portIndex] = "8000"; // placeholder for the parser; replaced below

        DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
        ServerConnector connector = connectorOf(proxy);
        connector.setHost("127.0.0.1");
        if (ephemeralPort) connector.setPort(0);

        if (Boolean.getBoolean("exitWhenStdinCloses")) exitWhenStdinCloses();
        // safeStart: no telemetry, and a failed bind ends the process instead of being swallowed.
        try {
            proxy.safeStart();
        } catch (Exception e) {
            if (!causedByBind(e)) throw e;
            System.err.println("DynamoDB Local: 127.0.0.1:" + connector.getPort() + " is already in use (EADDRINUSE)");
            System.exit(1);
        }
        System.out.println("DynamoDB Local listening on 127.0.0.1:" + connector.getLocalPort());
        System.out.flush();
        proxy.join();
    }

    /** DynamoDBProxyServer keeps its Jetty server private; its one connector is the listening socket. */
    private static ServerConnector connectorOf(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
        Field serverField = DynamoDBProxyServer.class.getDeclaredField("server");
        serverField.setAccessible(true);
        return (ServerConnector) ((Server) serverField.get(proxy)).getConnectors()[0];
    }

    private static boolean causedByBind(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) return true;
        }
        return false;
    }

    private static void exitWhenStdinCloses() {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() != -1) { /* discard */ }
            } catch (java.io.IOException ignored) {
                // a broken pipe means the parent is gone too
            }
            System.exit(0);
        }, "exit-when-stdin-closes");
        watcher.setDaemon(true);
        watcher.start();
    }
}
