package dev.berth.oci.backend;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.spi.OwnerLabels;
import dev.berth.oci.transport.CommandTransport;
import dev.berth.oci.transport.HostFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bundles under {@code <root>/bundles}, one directory per handle id:
 * <pre>
 * ID/config.json   the OCI runtime config (annotations carry the owner labels)
 * ID/berth.json    {@link BundleMeta}
 * ID/run.json      {@link RunRecord}
 * ID/rootfs/       overlay mount (or a copy); ID/upper, ID/work its writable layer
 * ID/etc/          hosts, resolv.conf, hostname (bind-mounted)
 * ID/volumes/NAME  the workload's volumes
 * ID/ctr.log       conmon's k8s-file log
 * ID/status/       conmon's exit (and oom) files
 * </pre>
 */
final class Bundles {
    static final String META = "berth.json";
    static final String RUN = "run.json";

    private final String root;
    private final CommandTransport transport;
    private final HostFiles files;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    Bundles(String root, CommandTransport transport) {
        this.root = root;
        this.transport = transport;
        this.files = new HostFiles(transport);
    }

    String root() {
        return root;
    }

    String dir(String id) {
        if (!id.matches("[a-z0-9][a-z0-9.-]*")) {
            throw BerthException.notFound("workload handle '" + id + "'");
        }
        return root + "/" + id;
    }

    Optional<BundleMeta> meta(String id) {
        return files.read(dir(id) + "/" + META).map(bytes -> parse(bytes, BundleMeta.class, id));
    }

    BundleMeta require(String id) {
        return meta(id).orElseThrow(() -> BerthException.notFound("oci workload " + id));
    }

    void writeMeta(BundleMeta meta) {
        write(dir(meta.id()) + "/" + META, meta);
    }

    RunRecord run(String id) {
        return files.read(dir(id) + "/" + RUN).map(bytes -> parse(bytes, RunRecord.class, id)).orElse(RunRecord.NEVER);
    }

    void writeRun(String id, RunRecord run) {
        write(dir(id) + "/" + RUN, run);
    }

    List<BundleMeta> list() {
        var out = new ArrayList<BundleMeta>();
        for (String id : files.list(root)) {
            try {
                meta(id).ifPresent(out::add);
            } catch (BerthException e) {
                System.getLogger(Bundles.class.getName()).log(System.Logger.Level.WARNING, "skipping bundle " + id + ": " + e.getMessage());
            }
        }
        return out;
    }

    static boolean ownedBy(BundleMeta meta, OwnerLabels owner) {
        return owner.ownerId().equals(meta.labels().get(OwnerLabels.OWNER))
                && owner.workload().equals(meta.labels().get(OwnerLabels.WORKLOAD))
                && Long.toString(owner.generation()).equals(meta.labels().get(OwnerLabels.GENERATION));
    }

    private void write(String path, Object value) {
        try {
            transport.writeFile(path, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(value), 0600);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.INTERNAL, "cannot write " + path + ": " + e, e);
        }
    }

    private <T> T parse(byte[] bytes, Class<T> type, String id) {
        try {
            return json.readValue(bytes, type);
        } catch (IOException e) {
            throw new BerthException(ErrorCode.BACKEND_ERROR, "bundle " + id + ": unreadable " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
