/**
 * The Maven plugin's {@code wasm2jvm:compile} goal: compiles the configured modules into the
 * project's classes, with their facade sources for IDEs.
 */
package dev.wasm2jvm.maven;
