package org.mfrfhir;

/** mfr_side of a finding. */
public final class Side {
    public static final int LEFT = 0;
    public static final int RIGHT = 1;
    public static final int MIDLINE = 2;
    public static final int BILATERAL = 3;

    private Side() {
    }
}
