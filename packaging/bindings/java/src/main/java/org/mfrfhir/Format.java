package org.mfrfhir;

/** mfr_format: what Context.export() writes. */
public final class Format {
    public static final int COLLECTION = 1;
    public static final int TRANSACTION = 2;
    public static final int NDJSON = 3;
    public static final int NDJSON_PROCEDURES = 4;
    public static final int NDJSON_OBSERVATIONS = 5;
    public static final int NDJSON_DOCUMENTS = 6;

    private Format() {
    }
}
