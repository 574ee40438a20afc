package org.mfrfhir;

/** A call the library refused: its status, its sentence (mfr_last_error()) as the message and,
 *  for invalid data or malformed JSON, the OperationOutcome JSON saying what and where. */
public final class MfrException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String outcome;

    MfrException(int status, String message, String outcome) {
        super(message);
        this.status = status;
        this.outcome = outcome;
    }

    /** The mfr_status number (Status.PARSE, ...). */
    public int status() {
        return status;
    }

    /** The status's fixed English name, e.g. "MFR_ERR_PARSE: malformed JSON". */
    public String statusName() {
        return Mfr.statusName(status);
    }

    /** The OperationOutcome JSON, or null when the call gives none. */
    public String outcome() {
        return outcome;
    }
}
