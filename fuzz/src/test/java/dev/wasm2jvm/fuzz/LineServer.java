package dev.wasm2jvm.fuzz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process that answers one request line with lines up to a terminator: the module
 * generator, the node engine and the forced-C2 JVM. A request that takes longer than its timeout
 * kills the process (the next request starts a new one) and ends its answer with {@code timeout}.
 */
final class LineServer implements AutoCloseable {
    /** Queued when the process's output ends; compared by identity, as no line read is this object. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String EOF = new String("eof");

    private final List<String> command;
    private final Path directory;
    private final Path stderr;
    private Process process;
    private Writer in;
    private BlockingQueue<String> lines;

    LineServer(List<String> command, Path directory, Path stderr) {
        this.command = List.copyOf(command);
        this.directory = directory;
        this.stderr = stderr;
    }

    /**
     * Sends {@code request}; returns the answer's lines, the terminating one ({@code isLast}) excluded.
     * An answer cut short ends with {@code timeout}, or with {@code crashed} when the process died.
     */
    synchronized List<String> request(String request, Predicate<String> isLast, long timeoutSeconds) {
        List<String> answer = new ArrayList<>();
        try {
            if (process == null) start();
            in.write(request + "\n");
            in.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    answer.add("timeout");
                    stop();
                    return answer;
                }
                if (line == EOF) {
                    answer.add("crashed");
                    stop();
                    return answer;
                }
                if (isLast.test(line)) return answer;
                answer.add(line);
            }
        } catch (IOException e) {
            answer.add("crashed");
            stop();
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while waiting for " + command.get(0), e);
        }
    }

    private void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        process = builder.start();
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        lines = queue;
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> {
            try (out) {
                for (String line; (line = out.readLine()) != null; ) queue.add(line);
            } catch (IOException e) {
                // The process was killed: the answer is cut short, which EOF reports.
            }
            queue.add(EOF);
        }, "fuzz-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void stop() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public synchronized void close() {
        if (process == null) return;
        try {
            in.close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        }
        process = null;
    }
}
