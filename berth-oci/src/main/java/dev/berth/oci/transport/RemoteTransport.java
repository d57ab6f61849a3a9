package dev.berth.oci.transport;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;

/**
 * What ssh and wsl share: every operation is a command line sent through a client program, so
 * all of them go to the transport's {@link RemoteCommands}; the subclass supplies the client.
 */
abstract class RemoteTransport implements CommandTransport {
    /** The command runner over this transport's client program. */
    protected abstract RemoteCommands remote();

    @Override
    public boolean isLocal() {
        return false;
    }

    @Override
    public Result run(List<String> argv, byte[] stdin, Duration timeout) {
        return remote().run(argv, stdin, timeout);
    }

    /** The live client process: its stdio is the remote program's; destroying it closes the session. */
    @Override
    public Process start(List<String> argv) {
        return remote().start(argv);
    }

    @Override
    public void writeFile(String path, byte[] content, int mode) {
        remote().writeFile(path, content, mode);
    }

    @Override
    public byte[] readFile(String path) {
        return remote().readFile(path);
    }

    @Override
    public byte[] readFileFrom(String path, long offset) {
        return remote().readFileFrom(path, offset);
    }

    @Override
    public void extractTar(String dir, InputStream tar) {
        remote().extractTar(dir, tar);
    }
}
