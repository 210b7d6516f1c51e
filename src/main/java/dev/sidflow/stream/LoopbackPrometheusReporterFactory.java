package dev.sidflow.stream;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.PortRange;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Properties;

/**
 * Flink's Prometheus reporter on one address, 127.0.0.1 unless the reporter's {@code host} option
 * names another. Flink's own {@code PrometheusReporter} takes only a port and binds its HTTP server
 * to every interface, which would put all job metrics on the network while everything else sidflow
 * starts listens on loopback only. This reporter keeps Flink's metric-to-Prometheus translation
 * ({@link AbstractPrometheusReporter}) and starts the same HTTP server on the configured address.
 *
 * <p>Configured like Flink's ({@code metrics.reporter.prom.factory.class} set to this class,
 * {@code metrics.reporter.prom.port}: a port or range, default 9249, and
 * {@code metrics.reporter.prom.host}); found through {@code META-INF/services}.
 */
public final class LoopbackPrometheusReporterFactory implements MetricReporterFactory {
    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final String DEFAULT_PORT = "9249";

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new Reporter(properties.getProperty(HOST, DEFAULT_HOST), new PortRange(properties.getProperty(PORT, DEFAULT_PORT)));
    }

    /** The reporter: serves its registry at {@code http://HOST:PORT/metrics} on the first free port of the range. */
    static final class Reporter extends AbstractPrometheusReporter {
        private final HTTPServer server;

        Reporter(String host, PortRange ports) {
            CollectorRegistry registry = registry(this);
            HTTPServer started = null;
            IOException last = null;
            for (Iterator<Integer> it = ports.getPortsIterator(); it.hasNext() && started == null; ) {
                int port = it.next();
                try {
                    started = new HTTPServer(new InetSocketAddress(host, port), registry, true);
                    log.info("Prometheus metrics at http://{}:{}/metrics", host, port);
                } catch (IOException e) {
                    last = e;
                }
            }
            if (started == null) {
                throw new IllegalStateException("could not start the Prometheus reporter on " + host + " ports " + ports, last);
            }
            server = started;
        }

        int port() {
            return server.getPort();
        }

        @Override
        public void close() {
            server.stop();
            super.close();
        }

        /**
         * The registry Flink's translation fills. It is package-private in Flink (its own reporter is
         * the only other user); Flink upgrades are caught by {@code PrometheusReporterIT}.
         */
        private static CollectorRegistry registry(AbstractPrometheusReporter reporter) {
            try {
                var field = AbstractPrometheusReporter.class.getDeclaredField("registry");
                field.setAccessible(true);
                return (CollectorRegistry) field.get(reporter);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("this Flink version's AbstractPrometheusReporter has no registry field", e);
            }
        }
    }
}
