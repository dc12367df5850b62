package dev.wasm2jvm.spectest;

import java.util.regex.Pattern;

/** A pattern over script ids ({@code core/i32}) in which {@code *} matches any text, slashes included. */
record ScriptPattern(String glob) {
    boolean matches(Script script) {
        return regex().matcher(script.id()).matches();
    }

    private Pattern regex() {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) regex.append(".*");
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    @Override
    public String toString() {
        return glob;
    }
}
