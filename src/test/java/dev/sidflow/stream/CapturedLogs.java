package dev.sidflow.stream;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;

import java.io.StringWriter;
import java.util.Map;

/**
 * Everything this JVM logs (sidflow, Kafka clients and broker, Flink) while open, at the levels
 * given, instead of the quiet levels of log4j2.xml; closing restores the configuration. Tests look
 * for secrets in it.
 */
final class CapturedLogs implements AutoCloseable {
    private final StringWriter text = new StringWriter();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final WriterAppender appender;

    /**
     * @param level     every logger's level
     * @param overrides other levels for some loggers and those below them, e.g. DEBUG for the SASL code
     */
    CapturedLogs(Level level, Map<String, Level> overrides) {
        appender = WriterAppender.newBuilder().setName("capture").setTarget(text)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %c - %msg%n%throwable").build()).build();
        appender.start();
        context.getConfiguration().addAppender(appender);
        context.getRootLogger().addAppender(appender);
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, level);
        overrides.forEach(Configurator::setAllLevels);
    }

    /** What was logged so far. */
    String text() {
        return text.toString();
    }

    @Override
    public void close() {
        context.getRootLogger().removeAppender(appender);
        appender.stop();
        context.reconfigure();
    }
}
