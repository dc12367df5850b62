package dev.wasm2jvm.compiler.debug;

/**
 * The string sections a line number program header can refer to; either may be {@code null} when
 * the module lacks it.
 *
 * @param debugStr {@code .debug_str}, for {@code DW_FORM_strp}
 * @param debugLineStr {@code .debug_line_str}, for {@code DW_FORM_line_strp}
 */
record StringSections(byte[] debugStr, byte[] debugLineStr) {}
