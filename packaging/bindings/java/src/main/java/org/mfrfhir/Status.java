package org.mfrfhir;

/** mfr_status: MfrException.status(). */
public final class Status {
    public static final int OK = 0;
    public static final int INVALID_ARGUMENT = 1;
    public static final int INVALID_HANDLE = 2;
    public static final int PARSE = 3;
    public static final int INVALID_DATA = 4;
    public static final int NOT_FOUND = 5;
    public static final int NO_MEMORY = 6;
    public static final int IO = 7;
    public static final int CANCELLED = 8;
    public static final int ABI_MISMATCH = 9;
    public static final int UNSUPPORTED = 10;
    public static final int INTERNAL = 11;
    public static final int NETWORK = 12;
    public static final int TLS = 13;
    public static final int TIMEOUT = 14;
    public static final int REFUSED = 15;
    public static final int AUTH = 16;

    private Status() {
    }
}
