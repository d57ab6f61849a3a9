package dev.berth.docker.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/** {@code /exec/...}. Obtain from {@link DockerClient#exec()}. */
public final class ExecApi {
    private final Transport t;

    ExecApi(Transport t) {
        this.t = t;
    }

    /**
     * @param body ExecConfig: Cmd, AttachStdin/Stdout/Stderr, Tty, Env, User, WorkingDir...
     * @return the exec id
     */
    public String create(String containerId, ObjectNode body) {
        return t.json("POST", "/containers/" + Query.path(containerId) + "/exec", null, body).path("Id").asText();
    }

    /** A minimal ExecConfig; callers needing Env/User/WorkingDir add them to the returned node. */
    public static ObjectNode config(List<String> cmd, boolean attachStdin, boolean tty) {
        ObjectNode b = Json.object();
        b.put("AttachStdin", attachStdin).put("AttachStdout", true).put("AttachStderr", true).put("Tty", tty);
        var arr = b.putArray("Cmd");
        cmd.forEach(arr::add);
        return b;
    }

    /**
     * Starts the exec on a hijacked connection. The process runs until it exits; its output ends
     * the frames with EOF. Use {@link #inspect(String)} afterwards for the exit code.
     */
    public ExecConnection start(String execId, boolean tty) {
        HttpRequest req = t.request("POST", "/exec/" + Query.path(execId) + "/start", null)
                .withJson(Json.bytes(startBody(false, tty)));
        return new ExecConnection(execId, t.http().upgrade(req), tty);
    }

    /** Starts it in the background; output is discarded. */
    public void startDetached(String execId) {
        t.send("POST", "/exec/" + Query.path(execId) + "/start", null, startBody(true, false));
    }

    /**
     * Runs it to completion without stdin, collecting stdout and stderr in memory, then reads the
     * exit code. Meant for short commands (health checks, file probes).
     */
    public ExecResult startBuffered(String execId, boolean tty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ExecConnection c = start(execId, tty)) {
            c.frames().demuxTo(out, err);
        } catch (IOException e) {
            throw new DockerIOException(t.http().toString(), "Reading exec output failed", e);
        }
        ExecState state = inspect(execId);
        if (state.exitCode() == null) {
            throw new DockerException("Exec " + execId + " output ended but the engine reports it still running");
        }
        return new ExecResult(state.exitCode(), out.toByteArray(), err.toByteArray());
    }

    /** @throws NotFoundException for an unknown exec id */
    public ExecState inspect(String execId) {
        return ExecState.of(t.get("/exec/" + Query.path(execId) + "/json", null));
    }

    /** Resizes the TTY of a running exec. */
    public void resize(String execId, int height, int width) {
        t.send("POST", "/exec/" + Query.path(execId) + "/resize", Query.of().add("h", height).add("w", width), null);
    }

    private static ObjectNode startBody(boolean detach, boolean tty) {
        return Json.object().put("Detach", detach).put("Tty", tty);
    }
}
