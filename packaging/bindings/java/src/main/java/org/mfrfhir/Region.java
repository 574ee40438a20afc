package org.mfrfhir;

/** mfr_region: treated regions and the sites of findings off the spine. */
public final class Region {
    public static final int SPINE = 0;
    public static final int CERVICAL_SPINE = 1;
    public static final int THORACIC_SPINE = 2;
    public static final int LUMBAR_SPINE = 3;
    public static final int SACRUM = 4;
    public static final int UPPER_TRAPEZIUS = 5;
    public static final int RIB_CAGE = 6;
    public static final int CHEST_WALL = 7;
    public static final int INTERSCAPULAR = 8;
    public static final int SCAPULAR = 9;
    public static final int SKIN_OF_BACK = 10;
    public static final int LUMBAR_REGION = 11;
    public static final int NECK = 12;
    public static final int SHOULDER = 13;
    public static final int OTHER = 14;

    private Region() {
    }
}
