package com.example.host;

/**
 * Implements the functions sensor.wasm imports by implementing the generated interface
 * {@code Sensor.Imports}, then calls the module's export through its API interface
 * {@code SensorApi}, whose documented source the plugin puts in {@code target/generated-sources}.
 */
public final class Main {
    /** The host side of the module: a simulated sensor and a log. */
    static final class Host implements Sensor.Imports {
        private final double[] readings = {21.5, 19.0, 23.25, 20.0};
        private int next;
        /** The instance whose memory holds the log messages. */
        private Sensor sensor;

        /** Called with the instance before any of its code runs, so that host_log can read its memory. */
        @Override
        public void bind(Sensor instance) {
            sensor = instance;
        }

        @Override
        public double host_readSensor(int channel) {
            return readings[next++ % readings.length] + channel;
        }

        @Override
        public void host_log(int ptr, int len) {
            System.out.println("[wasm] " + sensor.memory().readString(ptr, len));
        }
    }

    public static void main(String[] args) {
        SensorApi sensor = SensorApi.instantiate(new Host());
        // "min-max" returns two f64s: they come back as the record Sensor.Results_dd.
        Sensor.Results_dd range = sensor.minMax(100, 8);
        System.out.println("min = " + range.r0() + ", max = " + range.r1());
    }
}
