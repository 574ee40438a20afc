package org.mfrfhir;

/** mfr_release: what kneading did. */
public final class Release {
    public static final int UNKNOWN = 0;
    public static final int RELEASED = 1;
    public static final int PARTIAL = 2;
    public static final int NOT_RELEASED = 3;

    private Release() {
    }
}
