package dev.berth.oci.transport;

import dev.berth.net.HostCommands;
import java.io.InputStream;
import java.util.List;

/**
 * How the OCI backend reaches the host its workloads run on: every runtime call and file
 * operation goes through one of these (local, ssh, wsl). Programs are argv lists, never shell
 * strings built from user data; file contents and layers travel as bytes on stdin.
 */
public interface CommandTransport extends HostCommands, AutoCloseable {
    /** For messages: "local", "ssh root@127.0.0.1:2222", "wsl Ubuntu". */
    String describe();

    /** True when paths on the target host are this JVM's own paths. */
    boolean isLocal();

    /** Starts {@code argv} with piped stdio and returns the live process (conmon, followed logs, exec streams). */
    Process start(List<String> argv);

    /** Writes {@code content} to {@code path} on the target host (replaced atomically) with {@code mode} (e.g. 0644). */
    void writeFile(String path, byte[] content, int mode);

    /** The file's bytes; a not_found {@code BerthException} when it does not exist. */
    byte[] readFile(String path);

    /**
     * The file's bytes from {@code offset} to its current end, exactly as stored (a log that grows
     * is read on from where the last read stopped); empty when it is shorter or does not exist.
     */
    byte[] readFileFrom(String path, long offset);

    /** Extracts the tar stream into {@code dir} on the target host, creating {@code dir}. */
    void extractTar(String dir, InputStream tar);

    @Override
    void close();
}
