package org.mfrfhir;

/** mfr_session_status (FHIR Procedure.status). */
public final class SessionStatus {
    public static final int COMPLETED = 0;
    public static final int IN_PROGRESS = 1;
    public static final int NOT_DONE = 2;
    public static final int ENTERED_IN_ERROR = 3;
    public static final int PREPARATION = 4;
    public static final int ON_HOLD = 5;
    public static final int STOPPED = 6;
    public static final int UNKNOWN = 7;

    private SessionStatus() {
    }
}
