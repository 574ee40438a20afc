package org.mfrfhir;

/** mfr_note_format of a Batch. */
public final class NoteFormat {
    public static final int TEXT = 1;
    public static final int CSV = 2;
    public static final int HL7V2 = 3;

    private NoteFormat() {
    }
}
