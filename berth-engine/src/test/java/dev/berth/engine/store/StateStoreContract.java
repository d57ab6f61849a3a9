package dev.berth.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.HttpProbe;
import dev.berth.api.spec.Isolation;
import dev.berth.api.spec.PortMapping;
import dev.berth.api.spec.Protocol;
import dev.berth.api.spec.PullPolicy;
import dev.berth.api.spec.Readiness;
import dev.berth.api.spec.RestartMode;
import dev.berth.api.spec.TmpfsMount;
import dev.berth.api.spec.VolumeMount;
import dev.berth.api.spec.WorkloadSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link StateStore} promises, run once per implementation. A second store opened on
 * the same data dir stands for a second CLI process.
 */
abstract class StateStoreContract {
    static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456789Z");

    @TempDir
    Path dataDir;

    private final List<StateStore> opened = new ArrayList<>();

    /** A new store instance on {@code dir}; the contract closes it after the test. */
    abstract StateStore create(Path dir);

    final StateStore open() {
        StateStore store = create(dataDir);
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(StateStore::close);
    }

    static WorkloadRecord record(String name, Instant createdAt) {
        return new WorkloadRecord(name, WorkloadSpec.builder(name, "busybox").build(), "docker", null, 1,
                WorkloadState.CREATED, null, createdAt, null, null, 0, "creating", false);
    }

    static WorkloadSpec fullSpec() {
        return WorkloadSpec.builder("web-1", "127.0.0.1:5000/app:1.2")
                .pullPolicy(PullPolicy.ALWAYS)
                .command("/bin/app").args("--port", "8080")
                .env("GREETING", "say \"hi\" $(id)")
                .workingDir("/srv").user("1000:1000")
                .resources(0.5, "256Mi", 64)
                .port(new PortMapping(8080, 0, Protocol.TCP, null))
                .port(new PortMapping(53, 5353, Protocol.UDP, "127.0.0.1"))
                .network("subnet-a")
                .volume(new VolumeMount("data", "/data", "1Gi", true, false))
                .tmpfs(new TmpfsMount("/tmp", "64Mi", true, "1777"))
                .file("/var/task", "/home/me/code.zip")
                .userData("echo hello > /tmp/booted\n")
                .keepAlive(true)
                .readiness(new Readiness(null, new HttpProbe(8080, "/healthz"), null, null, "10s"))
                .restart(RestartMode.ON_FAILURE, 3)
                .isolation(Isolation.SANDBOX)
                .hostAccess(true)
                .label("team", "payments")
                .ulimit("nofile", 1024, 4096).ulimit("nproc", 100, 100)
                .sysctl("net.ipv4.ip_forward", "1")
                .capabilities(List.of("cap_net_admin"), List.of("MKNOD"))
                .readOnlyRootfs(true)
                .build();
    }

    @Test
    void insertReservesTheName() {
        var store = open();

        assertThat(store.insert(record("web", T0))).isTrue();
        assertThat(store.insert(record("web", T0.plusSeconds(1)))).isFalse();
        assertThat(store.get("web")).map(WorkloadRecord::createdAt).contains(T0);
    }

    @Test
    void nameReservedByOneStoreIsRefusedByASecondStoreOnTheSameDir() {
        var first = open();
        var second = open();

        assertThat(first.insert(record("web", T0))).isTrue();

        assertThat(second.insert(record("web", T0.plusSeconds(1)))).isFalse();
        assertThat(second.get("web")).map(WorkloadRecord::createdAt).contains(T0);
    }

    @Test
    void concurrentInsertsOfOneNameHaveExactlyOneWinner() throws Exception {
        var stores = List.of(open(), open());
        var start = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(8)) {
            var results = new ArrayList<Future<Boolean>>();
            for (int i = 0; i < 8; i++) {
                var store = stores.get(i % 2);
                var rec = record("web", T0.plusSeconds(i));
                results.add(pool.submit(() -> {
                    start.await();
                    return store.insert(rec);
                }));
            }
            start.countDown();
            long winners = 0;
            for (var r : results) {
                winners += r.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        }
        assertThat(stores.get(0).get("web")).isEqualTo(stores.get(1).get("web")).isPresent();
    }

    @Test
    void updateReplacesTheRecord() {
        var store = open();
        WorkloadRecord created = record("web", T0);
        store.insert(created);

        WorkloadRecord running = created.withHandle("c0ffee").started(T0.plusSeconds(2));
        store.update(running);

        assertThat(store.get("web")).contains(running);
        assertThat(open().get("web")).contains(running);
        assertThat(store.list()).containsExactly(running);
    }

    @Test
    void updateOfAMissingRecordStoresIt() {
        var store = open();
        WorkloadRecord r = record("web", T0);

        store.update(r);

        assertThat(store.get("web")).contains(r);
        assertThat(store.insert(record("web", T0))).isFalse();
    }

    @Test
    void readersNeverSeeAPartialRecordWhileAnotherStoreWrites() throws Exception {
        var writer = open();
        var reader = open();
        var failures = new ConcurrentLinkedQueue<Throwable>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var writing = pool.submit(() -> {
                WorkloadRecord r = record("web", T0);
                writer.insert(r);
                for (int i = 0; i < 200; i++) {
                    writer.update(r.withRestartCount(i));
                }
                for (int i = 0; i < 100; i++) {
                    writer.insert(record("w" + i, T0.plusSeconds(i)));
                }
                return null;
            });
            while (!writing.isDone()) {
                try {
                    reader.list();
                    reader.get("web");
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }
            writing.get();
        }

        assertThat(failures).isEmpty();
        assertThat(reader.list()).hasSize(101);
    }

    @Test
    void listIsSortedByCreationTimeThenName() {
        var store = open();
        store.insert(record("zeta", T0));
        store.insert(record("alpha", T0.plusSeconds(60)));
        store.insert(record("mid", T0.plusMillis(1)));
        store.insert(record("beta", T0));

        assertThat(store.list()).extracting(WorkloadRecord::name).containsExactly("beta", "zeta", "mid", "alpha");
    }

    @Test
    void recordsRoundTripWithAFullSpecExitStatusAndInstants() {
        var store = open();
        var record = new WorkloadRecord("web-1", fullSpec(), "docker", "3f4e5d", 7, WorkloadState.EXITED,
                ExitStatus.ofCode(137, true), T0, T0.plusMillis(1500), T0.plusSeconds(3600), 2, "killed", true);

        store.insert(record);

        WorkloadRecord back = open().get("web-1").orElseThrow();
        assertThat(back).isEqualTo(record);
        assertThat(back.spec().capabilities().add()).containsExactly("NET_ADMIN");
        assertThat(back.exit().signal()).isEqualTo("SIGKILL");
        assertThat(back.startedAt()).isEqualTo(T0.plusMillis(1500));
    }

    @Test
    void missingRecordIsEmpty() {
        assertThat(open().get("nothing")).isEmpty();
        assertThat(open().list()).isEmpty();
    }

    @Test
    void nextGenerationStrictlyIncreasesWithinOneStore() {
        var store = open();

        List<Long> generations = Stream.generate(store::nextGeneration).limit(1000).toList();

        assertThat(generations).isSorted().doesNotHaveDuplicates();
        assertThat(generations.getFirst()).isPositive();
    }

    @Test
    void secondStoreNeverIssuesAGenerationBelowOneAlreadyIssued() {
        // Two stores on one dir stand for two CLI processes: the second must not start over at 1,
        // or a backend would take the first one's leftover container as its own.
        long first = open().nextGeneration();

        long second = open().nextGeneration();

        assertThat(second).isGreaterThanOrEqualTo(first);
    }

    @Test
    void concurrentNextGenerationCallsNeverRepeatOrFail() throws Exception {
        var store = open();
        var seen = Collections.synchronizedList(new ArrayList<Long>());
        var start = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(8)) {
            var done = new ArrayList<Future<?>>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    var mine = new ArrayList<Long>();
                    for (int i = 0; i < 250; i++) {
                        mine.add(store.nextGeneration());
                    }
                    assertThat(mine).isSorted().doesNotHaveDuplicates();
                    seen.addAll(mine);
                    return null;
                }));
            }
            start.countDown();
            for (var f : done) {
                f.get();
            }
        }

        assertThat(seen).hasSize(2000).doesNotHaveDuplicates();
    }

    @Test
    void deleteIsIdempotentAndFreesTheName() {
        var store = open();
        store.insert(record("web", T0));

        store.delete("web");
        assertThatCode(() -> store.delete("web")).doesNotThrowAnyException();
        assertThatCode(() -> store.delete("never-existed")).doesNotThrowAnyException();

        assertThat(store.get("web")).isEmpty();
        assertThat(store.insert(record("web", T0))).isTrue();
    }

    @Test
    void networksAreReservedListedByNameAndDeleted() {
        var store = open();
        var b = new NetworkRecord("subnet-b", "docker", true, "10.9.0.0/24", T0);
        var a = new NetworkRecord("subnet-a", "docker", false, null, T0.plusSeconds(1));

        assertThat(store.insertNetwork(b)).isTrue();
        assertThat(store.insertNetwork(a)).isTrue();
        assertThat(open().insertNetwork(a)).isFalse();

        assertThat(store.listNetworks()).containsExactly(a, b);
        assertThat(store.getNetwork("subnet-b")).contains(b);
        store.deleteNetwork("subnet-b");
        store.deleteNetwork("subnet-b");
        assertThat(store.listNetworks()).containsExactly(a);
    }

    @Test
    void eventsAreReadBackInOrderAfterAnId() {
        var store = open();
        long first = store.appendEvent(T0, "web", "created", null);
        long second = store.appendEvent(T0.plusMillis(1), "web", "started", "pid 42");
        long third = store.appendEvent(T0.plusMillis(2), null, "network-created", "subnet-a");

        assertThat(List.of(first, second, third)).isSorted().doesNotHaveDuplicates();
        assertThat(store.events(0, 100)).containsExactly(
                new EventRecord(first, T0, "web", "created", null),
                new EventRecord(second, T0.plusMillis(1), "web", "started", "pid 42"),
                new EventRecord(third, T0.plusMillis(2), null, "network-created", "subnet-a"));
        assertThat(store.events(first, 1)).extracting(EventRecord::id).containsExactly(second);
        assertThat(store.events(third, 10)).isEmpty();
    }
}
