package org.mfrfhir;

/** mfr_input: how Context.importFhir() and validate() read their text. */
public final class Input {
    public static final int AUTO = 0;
    public static final int JSON = 1;
    public static final int NDJSON = 2;

    private Input() {
    }
}
