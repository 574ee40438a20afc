using System;

namespace MfrFhir
{
    /// <summary>mfr_session: one treatment visit and its findings. Dispose it.</summary>
    public sealed class Session : IDisposable
    {
        private readonly SessionHandle handle;

        internal Session(IntPtr session) { handle = new SessionHandle(session); }

        public void Dispose() { handle.Dispose(); }

        internal IntPtr Raw { get { return handle.Raw; } }

        /// <summary>"Patient/{id}", or "Patient?identifier={system}|{value}" for transactions.</summary>
        public Session SetPatient(string reference) { return Checked(Native.mfr_session_set_patient(Raw, Native.Utf8(reference))); }
        public Session SetPractitioner(string reference) { return Checked(Native.mfr_session_set_practitioner(Raw, Native.Utf8(reference))); }
        public Session SetEncounter(string reference) { return Checked(Native.mfr_session_set_encounter(Raw, Native.Utf8(reference))); }
        /// <summary>FHIR dateTime text, e.g. "2019-03-04T10:30:00+01:00"; end may be null.</summary>
        public Session SetPeriod(string start, string end) { return Checked(Native.mfr_session_set_period(Raw, Native.Utf8(start), Native.Utf8(end))); }
        /// <summary>SessionStatus.Completed, ...</summary>
        public Session SetStatus(int status) { return Checked(Native.mfr_session_set_status(Raw, status)); }
        /// <summary>A treated region (Region.ThoracicSpine, ...).</summary>
        public Session AddRegion(int region) { return Checked(Native.mfr_session_add_region(Raw, region)); }
        public Session SetNote(string note) { return Checked(Native.mfr_session_set_note(Raw, Native.Utf8(note))); }
        /// <summary>Session number of planned in a course (0: not known).</summary>
        public Session SetCourse(int number, int planned) { return Checked(Native.mfr_session_set_course(Raw, number, planned)); }

        private Session Checked(int status)
        {
            Native.Check(status);
            return this;
        }

        public Session AddFinding(Finding finding)
        {
            var f = new Structs.Finding();
            f.struct_size = Structs.SizeOf<Structs.Finding>();
            f.site_kind = finding.RegionValue.HasValue ? 1 : 0;   // MFR_SITE_REGION, MFR_SITE_VERTEBRA
            f.level = finding.Level.HasValue ? finding.Level.Value : 0;
            f.region = finding.RegionValue.HasValue ? finding.RegionValue.Value : Region.Other;
            f.side = finding.Side;
            f.restriction = finding.RestrictionGrade.HasValue ? finding.RestrictionGrade.Value : -1;
            f.pain_nrs = finding.PainNrs.HasValue ? finding.PainNrs.Value : -1;
            f.tender = finding.IsTender.HasValue ? (finding.IsTender.Value ? 1 : 0) : -1;
            f.released = finding.Release;
            f.status = 0; // MFR_FINDING_FINAL
            f.region_text = Native.Utf8Memory(finding.RegionWords);
            f.pain_vas_mm = Native.Utf8Memory(finding.VasMillimetres);
            f.note = Native.Utf8Memory(finding.NoteText);
            try
            {
                return Checked(Native.mfr_session_add_finding(Raw, ref f));
            }
            finally
            {
                Native.FreeText(f.region_text);
                Native.FreeText(f.pain_vas_mm);
                Native.FreeText(f.note);
            }
        }

        /// <summary>What the session holds (copies).</summary>
        public SessionInfo Info()
        {
            var s = new Structs.SessionInfo();
            s.struct_size = Structs.SizeOf<Structs.SessionInfo>();
            Native.Check(Native.mfr_session_info_get(ref s, Raw));
            return new SessionInfo(s);
        }

        /// <summary>The session as session JSON.</summary>
        public string ToJson()
        {
            return Native.TextOf((out IntPtr buffer, out UIntPtr length) => Native.mfr_session_to_json(out buffer, out length, Raw));
        }

        /// <summary>The session's spine map as SVG; language "en", "fr", "de" or null, widthPx 0 for the default.</summary>
        public string Chart(string language, int widthPx)
        {
            var options = new Structs.ChartOptions();
            options.struct_size = Structs.SizeOf<Structs.ChartOptions>();
            options.width_px = widthPx;
            options.language = Native.Utf8Memory(language);
            try
            {
                return Native.TextOf((out IntPtr buffer, out UIntPtr length) =>
                    Native.mfr_chart_session(out buffer, out length, Raw, ref options));
            }
            finally
            {
                Native.FreeText(options.language);
            }
        }

        /// <summary>A copy the caller owns.</summary>
        public Session Copy()
        {
            IntPtr copy;
            Native.Check(Native.mfr_session_clone(out copy, Raw));
            return new Session(copy);
        }
    }

    /// <summary>mfr_session_info, its texts copied into strings.</summary>
    public sealed class SessionInfo
    {
        public readonly string Id, Patient, Practitioner, Encounter, Start, End, Note, SourceText, FhirId;
        public readonly int Status, SessionNumber, PlannedSessions;
        public readonly ulong RegionCount, FindingCount;

        internal SessionInfo(Structs.SessionInfo s)
        {
            Id = Native.Text(s.id);
            Patient = Native.Text(s.patient);
            Practitioner = Native.Text(s.practitioner);
            Encounter = Native.Text(s.encounter);
            Start = Native.Text(s.start);
            End = Native.Text(s.end);
            Note = Native.Text(s.note);
            SourceText = Native.Text(s.source_text);
            FhirId = Native.Text(s.fhir_id);
            Status = s.status;
            SessionNumber = s.session_number;
            PlannedSessions = s.planned_sessions;
            RegionCount = s.region_count.ToUInt64();
            FindingCount = s.finding_count.ToUInt64();
        }
    }
}
