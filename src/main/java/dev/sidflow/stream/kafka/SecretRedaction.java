package dev.sidflow.stream.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Hides secret client settings (SASL JAAS configs, SSL key/store passwords, OAuth client secrets,
 * private keys) wherever sidflow prints or logs a configuration: job specs, client settings.
 * Kafka's own config logging already hides its PASSWORD-typed keys; this covers ours.
 */
public final class SecretRedaction {
    public static final String REDACTED = "[redacted]";

    private SecretRedaction() {}

    /** Whether a client property may hold a secret: matched by name, so unknown keys with telling names are hidden too. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.equals("sasl.jaas.config") || k.contains("password") || k.contains("secret")
                || k.contains("credential") || k.contains("token") || k.endsWith(".key")
                || k.equals("basic.auth.user.info");
    }

    /** A sorted copy with secret values replaced by {@value #REDACTED}. */
    public static Map<String, String> redact(Map<?, ?> props) {
        Map<String, String> out = new TreeMap<>();
        if (props == null) return out;
        props.forEach((k, v) -> out.put(String.valueOf(k), isSecret(String.valueOf(k)) ? REDACTED : String.valueOf(v)));
        return out;
    }

    public static String toString(Properties props) {
        return redact(props).toString();
    }
}
