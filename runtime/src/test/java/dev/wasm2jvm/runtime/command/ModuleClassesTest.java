package dev.wasm2jvm.runtime.command;

import dev.wasm2jvm.runtime.Imports;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleClassesTest {
    private static final String MODULE = Module.class.getName();
    /** The code classes whose static initializer ran: linking must run none. */
    private static final List<String> INITIALIZED = new CopyOnWriteArrayList<>();

    /** A module class whose code is spread over two code classes, named as generated ones are. */
    static final class Module extends CommandRunnerExitTest.HostOnly {
        Module(Imports imports) {
            super(imports);
        }

        static final class Code0 {
            static {
                INITIALIZED.add("Code0");
            }
        }

        static final class Code1 {
            static {
                INITIALIZED.add("Code1");
            }
        }
    }

    /** A module class whose data segments are damaged, as {@code Constants} finds them. */
    static final class Damaged extends CommandRunnerExitTest.HostOnly {
        static {
            damage();
        }

        Damaged(Imports imports) {
            super(imports);
        }

        private static void damage() {
            throw new IllegalStateException("the data segments of Damaged are damaged");
        }
    }

    /** Records the names the module's classes are asked for, in order, and loads them as its parent does. */
    private static final class RecordingLoader extends ClassLoader {
        final List<String> asked = new ArrayList<>();

        RecordingLoader() {
            super(ModuleClassesTest.class.getClassLoader());
        }

        @Override
        protected synchronized Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(MODULE)) asked.add(name);
            return super.loadClass(name, resolve);
        }
    }

    @Test
    void theModuleClassThenTheCodeClassesFromTheLastAreLinkedWhileTheProgramRuns() throws Exception {
        RecordingLoader loader = new RecordingLoader();
        ModuleClasses classes = new ModuleClasses(loader, MODULE, 2, Module::new);
        CountDownLatch end = new CountDownLatch(1);
        Thread program = running(end);
        try {
            classes.load(program);
        } finally {
            end.countDown();
            program.join();
        }

        assertSame(Module.class, classes.moduleClass());
        assertSame(Module.class, classes.linked());
        assertEquals(List.of(MODULE, MODULE + "$Code1", MODULE + "$Code0"), loader.asked);
        assertEquals(List.of(), INITIALIZED, "code classes were initialised, not only linked");
    }

    @Test
    void noCodeClassIsLinkedOnceTheProgramHasEnded() throws Exception {
        RecordingLoader loader = new RecordingLoader();
        Thread ended = running(new CountDownLatch(0));
        ended.join();

        new ModuleClasses(loader, MODULE, 2, Module::new).load(ended);

        assertEquals(List.of(MODULE), loader.asked);
    }

    @Test
    void theProgramThreadWaitsForTheModuleClass() throws Exception {
        ModuleClasses classes = new ModuleClasses(new RecordingLoader(), MODULE, 0, Module::new);
        AtomicReference<Class<?>> seen = new AtomicReference<>();
        Thread instantiation = new Thread(() -> seen.set(classes.moduleClass()));
        instantiation.start();
        instantiation.join(100);
        assertTrue(instantiation.isAlive(), "the module class was handed over before it was loaded");

        classes.load(instantiation);
        instantiation.join(TimeUnit.SECONDS.toMillis(30));

        assertSame(Module.class, seen.get());
    }

    @Test
    void aModuleClassMissingFromTheJarIsThrownWhereTheProgramAsksForIt() {
        ModuleClasses classes = new ModuleClasses(new RecordingLoader(), MODULE + "Missing", 2, Module::new);
        classes.load(Thread.currentThread());

        NoClassDefFoundError e = assertThrows(NoClassDefFoundError.class, classes::moduleClass);
        assertEquals(MODULE + "Missing is not in the program's jar", e.getMessage());
        assertThrows(NoClassDefFoundError.class, classes::moduleClass, "the failure is thrown at every ask");
    }

    @Test
    void theModuleClassIsInitialisedAndWhatItsInitializerThrowsIsThrownWhereTheProgramAsksForIt() {
        ModuleClasses classes = new ModuleClasses(new RecordingLoader(), Damaged.class.getName(), 0, Damaged::new);
        classes.load(Thread.currentThread());

        ExceptionInInitializerError e = assertThrows(ExceptionInInitializerError.class, classes::moduleClass);
        assertEquals("the data segments of Damaged are damaged", e.getCause().getMessage());
    }

    @Test
    void aClassThatIsNoModuleIsThrownWhereTheProgramAsksForIt() {
        ModuleClasses classes = new ModuleClasses(new RecordingLoader(), String.class.getName(), 0, Module::new);
        classes.load(Thread.currentThread());

        assertThrows(ClassCastException.class, classes::moduleClass);
    }

    @Test
    void aModuleClassAlreadyLoadedIsHandedOverAtOnce() {
        ModuleClasses classes = new ModuleClasses(Module.class);

        assertSame(Module.class, classes.linked());
        assertSame(Module.class, classes.moduleClass());
        assertEquals(MODULE, classes.moduleClassName());
    }

    @Test
    void theModuleIsConstructedByTheLaunchersCallOnceItsClassIsLinked() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        ModuleClasses classes = new ModuleClasses(new RecordingLoader(), MODULE, 0, imports -> {
            events.add("constructed");
            return new Module(imports);
        });
        AtomicReference<Object> made = new AtomicReference<>();
        Thread instantiation = new Thread(() -> made.set(classes.apply(new Imports())));
        instantiation.start();
        instantiation.join(100);
        assertEquals(List.of(), events, "the module was constructed before its class was linked");

        classes.load(instantiation);
        instantiation.join(TimeUnit.SECONDS.toMillis(30));

        assertEquals(List.of("constructed"), events);
        assertTrue(made.get() instanceof Module);
    }

    @Test
    void aModuleClassThatFailedToLoadIsThrownAndNotConstructed() {
        List<String> events = new ArrayList<>();
        ModuleClasses classes = new ModuleClasses(new RecordingLoader(), MODULE + "Missing", 0, imports -> {
            events.add("constructed");
            return new Module(imports);
        });
        classes.load(Thread.currentThread());

        assertThrows(NoClassDefFoundError.class, () -> classes.apply(new Imports()));
        assertEquals(List.of(), events);
    }

    @Test
    void aModuleClassAlreadyLoadedIsConstructedThroughItsConstructor() {
        assertTrue(new ModuleClasses(Module.class).apply(new Imports()) instanceof Module);
    }

    private static Thread running(CountDownLatch end) {
        Thread thread = new Thread(() -> {
            try {
                end.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        thread.start();
        return thread;
    }
}
