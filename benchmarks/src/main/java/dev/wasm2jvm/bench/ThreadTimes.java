package dev.wasm2jvm.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a whole process's CPU went, by the part of the JVM each thread plays, and how long the
 * program's thread waited for a core: Linux's {@code /proc/PID/task/TID/schedstat} gives each
 * thread's time on a CPU and its time runnable but waiting in a run queue. On two cores the
 * program's thread shares them with the launching thread, C1 and C2, so the second figure is the
 * start-up cost that no profile of the program's own code shows.
 *
 * <p>A thread's counters are read from another process while it runs, every {@link #PERIOD_MILLIS}
 * ms, and the last reading is kept: a thread's figures miss at most its last period. Only the four
 * roles that matter are read (the JVM's other threads took 1 to 5% of the CPU of the programs
 * measured), since the readings take CPU from the two cores the measured process runs on: the
 * report gives the wall time of runs not read beside that of the runs read.
 */
final class ThreadTimes {
    /** How often the threads are read. */
    static final int PERIOD_MILLIS = 4;

    /** The part a thread plays, told by the name the kernel holds for it ({@code comm}, 15 bytes at most). */
    enum Role {
        /** The thread that runs the module's code: the runtime's {@code CommandRunner} names it. */
        PROGRAM,
        /** The launcher's threads: the JVM's start, then the jar's launcher until the program's thread ends. */
        LAUNCHER,
        C1,
        C2,
        /** The JVM's other threads (the collector's, the VM thread's, ...), which are not read. */
        OTHER;

        static Role of(String comm) {
            return switch (comm) {
                case "wasm-main" -> PROGRAM;
                case "java" -> LAUNCHER;
                default -> comm.startsWith("C1 Compiler") ? C1 : comm.startsWith("C2 Compiler") ? C2 : OTHER;
            };
        }
    }

    /** Nanoseconds on a CPU and runnable but waiting for one. */
    record Times(long cpuNanos, long waitNanos) {
        Times plus(Times other) {
            return new Times(cpuNanos + other.cpuNanos, waitNanos + other.waitNanos);
        }

        /** A {@code schedstat} line: time on a CPU, time waiting in a run queue, time slices, in that order. */
        static Times parse(String schedstat) {
            String[] fields = schedstat.trim().split("\\s+");
            if (fields.length < 2) throw new IllegalArgumentException("not a schedstat line: " + schedstat);
            return new Times(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
        }
    }

    /** Reads the threads of one running process, from {@link #watch} until {@link #stop}. */
    static final class Sampler implements Runnable {
        private final Map<String, Role> roles = new HashMap<>();
        private final Map<String, Times> last = new HashMap<>();
        private final Thread thread = new Thread(this, "thread-times");
        private volatile boolean running = true;
        private Path tasks;

        /** Starts reading the threads of {@code process}. */
        void watch(Process process) {
            tasks = Path.of("/proc", Long.toString(process.pid()), "task");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            while (running) {
                read();
                try {
                    Thread.sleep(PERIOD_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void read() {
            try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
                for (Path task : threads) {
                    String tid = task.getFileName().toString();
                    try {
                        Role role = roles.get(tid);
                        // A new thread bears its creator's name ("java") until it names itself: read
                        // again until it does, or for good if it is a launcher's.
                        if (role == null || role == Role.LAUNCHER) {
                            role = Role.of(Files.readString(task.resolve("comm")).strip());
                            roles.put(tid, role);
                        }
                        if (role == Role.OTHER) last.remove(tid);
                        else last.put(tid, Times.parse(Files.readString(task.resolve("schedstat"))));
                    } catch (IOException | IllegalArgumentException e) {
                        // The thread ended between the listing and the read: its last reading stands.
                    }
                }
            } catch (IOException e) {
                running = false; // the process has ended
            }
        }

        /** Stops reading and sums the last readings by role; waits for the reader's last pass first. */
        Map<Role, Times> stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
            return byRole(roles, last);
        }
    }

    private ThreadTimes() {}

    /** Whether this system has per-thread scheduler statistics. */
    static boolean available() {
        return Files.isReadable(Path.of("/proc/thread-self/schedstat"));
    }

    /** The readings {@code times}, keyed by thread, summed by the role {@code roles} gives each thread. */
    static Map<Role, Times> byRole(Map<String, Role> roles, Map<String, Times> times) {
        Map<Role, Times> sums = new EnumMap<>(Role.class);
        for (Role role : Role.values()) sums.put(role, new Times(0, 0));
        times.forEach((tid, t) -> sums.merge(roles.getOrDefault(tid, Role.OTHER), t, Times::plus));
        return sums;
    }
}
