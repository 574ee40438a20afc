package org.mfrfhir;

/** mfr_strictness of Context.validate(). */
public final class Strictness {
    public static final int STRICT = 0;
    public static final int LENIENT = 1;

    private Strictness() {
    }
}
