package org.mfrfhir;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** mfr_session: one treatment visit and its findings. Close it (try-with-resources). */
public final class Session implements AutoCloseable {
    private Pointer handle;

    Session(Pointer handle) {
        this.handle = handle;
    }

    @Override
    public void close() {
        if (handle != null) {
            Mfr.LIB.mfr_session_free(handle);
            handle = null;
        }
    }

    /** The C handle; NULL once closed, which the library refuses with MFR_ERR_INVALID_HANDLE. */
    Pointer handle() {
        return handle;
    }

    /** "Patient/{id}", or "Patient?identifier={system}|{value}" for transactions. */
    public Session setPatient(String reference) {
        Mfr.check(Mfr.LIB.mfr_session_set_patient(handle, Mfr.utf8(reference)));
        return this;
    }

    public Session setPractitioner(String reference) {
        Mfr.check(Mfr.LIB.mfr_session_set_practitioner(handle, Mfr.utf8(reference)));
        return this;
    }

    public Session setEncounter(String reference) {
        Mfr.check(Mfr.LIB.mfr_session_set_encounter(handle, Mfr.utf8(reference)));
        return this;
    }

    /** FHIR dateTime text, e.g. "2019-03-04T10:30:00+01:00"; `end` may be null. */
    public Session setPeriod(String start, String end) {
        Mfr.check(Mfr.LIB.mfr_session_set_period(handle, Mfr.utf8(start), Mfr.utf8(end)));
        return this;
    }

    /** SessionStatus.COMPLETED, ... */
    public Session setStatus(int status) {
        Mfr.check(Mfr.LIB.mfr_session_set_status(handle, status));
        return this;
    }

    /** A treated region (Region.THORACIC_SPINE, ...). */
    public Session addRegion(int region) {
        Mfr.check(Mfr.LIB.mfr_session_add_region(handle, region));
        return this;
    }

    public Session setNote(String note) {
        Mfr.check(Mfr.LIB.mfr_session_set_note(handle, Mfr.utf8(note)));
        return this;
    }

    /** Session `number` of `planned` in a course (0: not known). */
    public Session setCourse(int number, int planned) {
        Mfr.check(Mfr.LIB.mfr_session_set_course(handle, number, planned));
        return this;
    }

    public Session addFinding(Finding finding) {
        Structs.Finding f = new Structs.Finding();
        f.site_kind = finding.region == null ? 0 : 1;      // MFR_SITE_VERTEBRA, MFR_SITE_REGION
        f.level = finding.level == null ? 0 : finding.level;
        f.region = finding.region == null ? Region.OTHER : finding.region;
        f.side = finding.side;
        f.restriction = finding.restriction == null ? -1 : finding.restriction;
        f.pain_nrs = finding.pain == null ? -1 : finding.pain;
        f.tender = finding.tender == null ? -1 : (finding.tender ? 1 : 0);
        f.released = finding.released;
        f.status = finding.status;
        // The texts' C copies stay reachable until the call returns (the library copies them).
        Memory regionText = Mfr.utf8Memory(finding.regionText);
        Memory vas = Mfr.utf8Memory(finding.vasMm);
        Memory note = Mfr.utf8Memory(finding.note);
        f.region_text = regionText;
        f.pain_vas_mm = vas;
        f.note = note;
        Mfr.check(Mfr.LIB.mfr_session_add_finding(handle, f));
        return this;
    }

    /** What the session holds (copies). */
    public Info info() {
        Structs.SessionInfo s = new Structs.SessionInfo();
        Mfr.check(Mfr.LIB.mfr_session_info_get(s, handle));
        return new Info(s);
    }

    /** The session as session JSON. */
    public String toJson() {
        return Mfr.text((out, len) -> Mfr.LIB.mfr_session_to_json(out, len, handle));
    }

    /** The session's spine map as SVG; `language` "en", "fr", "de" or null, `widthPx` 0 for the default. */
    public String chart(String language, int widthPx) {
        Structs.ChartOptions options = new Structs.ChartOptions();
        Memory lang = Mfr.utf8Memory(language);
        options.language = lang;
        options.width_px = widthPx;
        return Mfr.text((out, len) -> Mfr.LIB.mfr_chart_session(out, len, handle, options));
    }

    /** A copy the caller owns. */
    public Session copy() {
        PointerByReference out = new PointerByReference();
        Mfr.check(Mfr.LIB.mfr_session_clone(out, handle));
        return new Session(out.getValue());
    }

    /** mfr_session_info, its texts copied into Strings. */
    public static final class Info {
        public final String id, patient, practitioner, encounter, start, end, note, sourceText, fhirId;
        public final int status, sessionNumber, plannedSessions;
        public final long regionCount, findingCount;

        Info(Structs.SessionInfo s) {
            id = Mfr.text(s.id);
            patient = Mfr.text(s.patient);
            practitioner = Mfr.text(s.practitioner);
            encounter = Mfr.text(s.encounter);
            start = Mfr.text(s.start);
            end = Mfr.text(s.end);
            note = Mfr.text(s.note);
            sourceText = Mfr.text(s.source_text);
            fhirId = Mfr.text(s.fhir_id);
            status = s.status;
            sessionNumber = s.session_number;
            plannedSessions = s.planned_sessions;
            regionCount = s.region_count.longValue();
            findingCount = s.finding_count.longValue();
        }
    }
}
