package org.mfrfhir;

/** One finding at one site and side, as Session.addFinding() takes it; null means "not recorded".
 *  Make one with vertebra(), region() or regionText(), then set what was found. */
public final class Finding {
    Integer level;
    Integer region;
    String regionText;
    final int side;
    Integer restriction;
    Integer pain;
    String vasMm;
    Boolean tender;
    int released = Release.UNKNOWN;
    String note;
    int status = 0; // MFR_FINDING_FINAL

    private Finding(int side) {
        this.side = side;
    }

    /** At a vertebral level: "C1".."C7", "T1".."T12", "L1".."L5" or "sacrum". */
    public static Finding vertebra(String level, int side) {
        Finding f = new Finding(side);
        f.level = levelNumber(level);
        return f;
    }

    public static Finding region(int region, int side) {
        Finding f = new Finding(side);
        f.region = region;
        return f;
    }

    /** Off the named regions, in words ("hip flexors"). */
    public static Finding regionText(String words, int side) {
        Finding f = region(Region.OTHER, side);
        f.regionText = words;
        return f;
    }

    /** 0 none, 1 mild, 2 moderate, 3 marked. */
    public Finding restriction(int grade) { restriction = grade; return this; }
    /** NRS 0..10. */
    public Finding pain(int nrs) { pain = nrs; return this; }
    /** VAS in mm as decimal text, "42.5". */
    public Finding vasMm(String mm) { vasMm = mm; return this; }
    public Finding tender(boolean t) { tender = t; return this; }
    public Finding released(int release) { released = release; return this; }
    public Finding note(String text) { note = text; return this; }

    /** mfr_level's number (fixed in mfr.h: C1 = 0, T1 = 7, L1 = 19, sacrum = 24). */
    private static int levelNumber(String level) {
        if (level.equalsIgnoreCase("sacrum")) {
            return 24;
        }
        String digits = level.length() > 1 ? level.substring(1) : "";
        int n = digits.matches("[1-9][0-9]?") ? Integer.parseInt(digits) : 0;
        switch (Character.toUpperCase(level.isEmpty() ? ' ' : level.charAt(0))) {
            case 'C': if (n >= 1 && n <= 7) return n - 1; break;
            case 'T': if (n >= 1 && n <= 12) return 7 + n - 1; break;
            case 'L': if (n >= 1 && n <= 5) return 19 + n - 1; break;
            default: break;
        }
        throw new IllegalArgumentException("mfr: \"" + level + "\" is not a vertebral level (C1-C7, T1-T12, L1-L5, sacrum)");
    }
}
