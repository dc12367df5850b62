package dev.wasm2jvm.runtime.wasi;

import dev.wasm2jvm.runtime.WasmTrap;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;

/**
 * The boundary between the guest and the host code of a WASI function: every failure becomes an
 * errno, except traps, {@link WasiExit} and interrupts, which unwind the guest.
 */
final class Calls {
    /** The body of a function; it returns normally on success. */
    @FunctionalInterface
    interface Body {
        void run() throws IOException, InterruptedException;
    }

    private Calls() {}

    static int errno(Body body) {
        try {
            body.run();
            return Errno.SUCCESS;
        } catch (WasiError e) {
            return e.errno;
        } catch (ClosedByInterruptException | InterruptedException e) {
            throw interrupted(e);
        } catch (IOException e) {
            return Errno.of(e);
        } catch (WasmTrap | WasiExit e) {
            throw e;
        } catch (RuntimeException e) {
            return Errno.of(e);
        }
    }

    /**
     * An interrupted blocking call ends the guest thread with the trap {@code "interrupted"}; the
     * thread's interrupt status is set again for whoever catches it.
     */
    static WasmTrap interrupted(Exception cause) {
        Thread.currentThread().interrupt();
        return new WasmTrap("interrupted", cause);
    }
}
