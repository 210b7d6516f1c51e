package dev.sidflow.stream;

import dev.sidflow.schema.CatalogItem;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static dev.sidflow.stream.UserHistoryFunctionTest.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * State schema evolution, done for real: a savepoint is taken while {@link UserHistory} has its
 * previous shape (the v1 source kept in src/test/resources/state-evolution, compiled by this test
 * and loaded child-first together with {@link UserHistoryFunction}), then restored by the current
 * classes. Flink's PojoSerializer must migrate the RocksDB state: histories and dedup windows are
 * kept, the added field takes its declared default.
 */
class UserHistoryStateEvolutionTest {
    private static final long TTL = Duration.ofDays(365).toMillis();
    private static final Set<String> ITEMS = Set.of("i1", "i2", "i3", "i4", "i5");
    private static final String STATE_CLASS = "dev.sidflow.stream.UserHistory";

    @ParameterizedTest
    @EnumSource(SavepointFormatType.class)
    void aSavepointWrittenWithTheOldHistoryTypeRestoresIntoTheCurrentOne(SavepointFormatType format, @TempDir Path tmp) throws Exception {
        ClassLoader v1 = v1Loader(tmp);
        Class<?> oldType = v1.loadClass(STATE_CLASS);
        assertThat(oldType).isNotSameAs(UserHistory.class);
        assertThat(fieldNames(oldType)).doesNotContain("firstEventTime");
        assertThat(fieldNames(UserHistory.class)).contains("firstEventTime");

        @SuppressWarnings("unchecked")
        KeyedBroadcastProcessFunction<String, SourcedEvent, CatalogItem, UserRequest> oldFn =
                (KeyedBroadcastProcessFunction<String, SourcedEvent, CatalogItem, UserRequest>) v1
                        .loadClass("dev.sidflow.stream.UserHistoryFunction")
                        .getConstructor(Set.class, int.class, int.class, long.class)
                        .newInstance(ITEMS, 3, 8, TTL);
        OperatorSubtaskState savepoint;
        var old = harness(oldFn);
        try {
            old.open();
            old.processElement(event("e1", "u", "i1", 1000), 1000);
            old.processElement(event("e2", "u", "i2", 2000), 2000);
            old.processElement(event("e3", "u", "i3", 3000), 3000);
            old.processElement(event("f1", "v", "i5", 3500), 3500);
            assertThat(stateOf(old, "u", oldType).getClass()).isSameAs(oldType);  // the old shape really is in state
            savepoint = old.snapshotWithLocalState(1L, 4000L, SavepointType.savepoint(format)).getJobManagerOwnedState();
        } finally {
            old.close();
        }

        var current = harness(new UserHistoryFunction(ITEMS, 3, 8, TTL));
        try {
            current.initializeState(savepoint);
            current.open();
            current.processElement(event("e2", "u", "i2", 2000), 2000);       // accepted before the savepoint
            current.processElement(event("e4", "u", "i4", 5000), 5000);
            current.processElement(event("g1", "w", "i1", 6000), 6000);       // a user new since the upgrade

            List<UserRequest> out = current.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(0).history).containsExactly("i2", "i3", "i4");
            assertThat(current.getSideOutput(DeadLetters.TAG)).extracting(r -> r.getValue().getErrorClass())
                    .containsExactly("DUPLICATE");

            UserHistory u = (UserHistory) stateOf(current, "u");
            assertThat(u.itemIds).containsExactly("i2", "i3", "i4");
            assertThat(u.recentEventIds).containsExactly("e1", "e2", "e3", "e4");
            assertThat(u.eventCount).isEqualTo(4);
            assertThat(u.lastEventTime).isEqualTo(5000);
            assertThat(u.firstEventTime).as("added field, state predates it").isEqualTo(UserHistory.UNKNOWN_TIME);
            UserHistory v = (UserHistory) stateOf(current, "v");
            assertThat(v.itemIds).containsExactly("i5");
            assertThat(((UserHistory) stateOf(current, "w")).firstEventTime).isEqualTo(6000);
        } finally {
            current.close();
        }
    }

    private static KeyedBroadcastOperatorTestHarness<String, SourcedEvent, CatalogItem, UserRequest> harness(
            KeyedBroadcastProcessFunction<String, SourcedEvent, CatalogItem, UserRequest> fn) throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(fn, List.of(UserHistoryFunction.CATALOG_CHANGES)),
                e -> e.event.getUserId(), Types.STRING, 128, 1, 0);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.setup();
        return h;
    }

    /** The user's value of the history state, read straight from the keyed state backend. */
    static Object stateOf(KeyedBroadcastOperatorTestHarness<String, SourcedEvent, CatalogItem, UserRequest> h,
                          String user) throws Exception {
        return stateOf(h, user, UserHistory.class);
    }

    /** @param type the history class the running function registered its state with (old or current) */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object stateOf(KeyedBroadcastOperatorTestHarness<String, SourcedEvent, CatalogItem, UserRequest> h,
                          String user, Class<?> type) throws Exception {
        KeyedStateBackend backend = (KeyedStateBackend) h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(user);
        ValueState<Object> state = (ValueState<Object>) backend.getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE, new ValueStateDescriptor<>("user-history", (Class) type));
        return state.value();
    }

    private static List<String> fieldNames(Class<?> c) {
        return Arrays.stream(c.getFields()).map(Field::getName).toList();
    }

    /**
     * A loader that defines the v1 history class (compiled from its kept source) and its own copy of
     * UserHistoryFunction, so the function's {@code UserHistory.class} is the old one; everything else
     * comes from the test's class path.
     */
    private static ClassLoader v1Loader(Path tmp) throws IOException {
        Path src = tmp.resolve("src/dev/sidflow/stream/UserHistory.java");
        Files.createDirectories(src.getParent());
        try (InputStream in = UserHistoryStateEvolutionTest.class.getResourceAsStream("/state-evolution/UserHistory.v1.java.txt")) {
            Files.write(src, in.readAllBytes());
        }
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "--release", "17", src.toString());
        assertThat(rc).as("javac of the v1 history type").isZero();
        byte[] oldBytes = Files.readAllBytes(classes.resolve("dev/sidflow/stream/UserHistory.class"));
        ClassLoader parent = UserHistoryStateEvolutionTest.class.getClassLoader();
        return new ClassLoader("user-history-v1", parent) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null && name.equals(STATE_CLASS)) {
                        c = defineClass(name, oldBytes, 0, oldBytes.length);
                    } else if (c == null && name.startsWith("dev.sidflow.stream.UserHistoryFunction")) {
                        try (InputStream in = parent.getResourceAsStream(name.replace('.', '/') + ".class")) {
                            if (in == null) throw new ClassNotFoundException(name);
                            byte[] b = in.readAllBytes();
                            c = defineClass(name, b, 0, b.length);
                        } catch (IOException e) {
                            throw new ClassNotFoundException(name, e);
                        }
                    }
                    if (c == null) return super.loadClass(name, resolve);
                    if (resolve) resolveClass(c);
                    return c;
                }
            }
        };
    }
}
