package com.example.host;

import java.nio.charset.StandardCharsets;

/**
 * Implements the functions sensor.wasm imports by implementing the generated interface
 * {@code Sensor.Imports}, then calls the module's export.
 */
public final class Main {
    /** The host side of the module: a simulated sensor and a log. */
    static final class Host implements Sensor.Imports {
        private final double[] readings = {21.5, 19.0, 23.25, 20.0};
        private int next;
        /** The instance whose memory holds the log messages; set once it exists. */
        Sensor sensor;

        @Override
        public double host_readSensor(int channel) {
            return readings[next++ % readings.length] + channel;
        }

        @Override
        public void host_log(int ptr, int len) {
            byte[] message = new byte[len];
            sensor.memory().readBytes(ptr, message, 0, len);
            System.out.println("[wasm] " + new String(message, StandardCharsets.UTF_8));
        }
    }

    public static void main(String[] args) {
        Host host = new Host();
        host.sensor = Sensor.instantiate(host);
        // "min-max" returns two f64s: they come back as the record Sensor.Results_dd.
        Sensor.Results_dd range = host.sensor.minMax(100, 8);
        System.out.println("min = " + range.r0() + ", max = " + range.r1());
    }
}
