namespace MfrFhir
{
    /// <summary>mfr_format: what Context.Export() writes.</summary>
    public static class Format
    {
        public const int Collection = 1;
        public const int Transaction = 2;
        public const int Ndjson = 3;
        public const int NdjsonProcedures = 4;
        public const int NdjsonObservations = 5;
        public const int NdjsonDocuments = 6;
    }

    /// <summary>mfr_input: how Context.Import() and Validate() read their text.</summary>
    public static class Input
    {
        public const int Auto = 0;
        public const int Json = 1;
        public const int Ndjson = 2;
    }

    /// <summary>mfr_strictness of Context.Validate().</summary>
    public static class Strictness
    {
        public const int Strict = 0;
        public const int Lenient = 1;
    }

    /// <summary>mfr_side of a finding.</summary>
    public static class Side
    {
        public const int Left = 0;
        public const int Right = 1;
        public const int Midline = 2;
        public const int Bilateral = 3;
    }

    /// <summary>mfr_release: what kneading did.</summary>
    public static class Release
    {
        public const int Unknown = 0;
        public const int Released = 1;
        public const int Partial = 2;
        public const int NotReleased = 3;
    }

    /// <summary>mfr_note_format of a Batch.</summary>
    public static class NoteFormat
    {
        public const int Text = 1;
        public const int Csv = 2;
        public const int Hl7v2 = 3;
    }

    /// <summary>mfr_session_status (FHIR Procedure.status).</summary>
    public static class SessionStatus
    {
        public const int Completed = 0;
        public const int InProgress = 1;
        public const int NotDone = 2;
        public const int EnteredInError = 3;
        public const int Preparation = 4;
        public const int OnHold = 5;
        public const int Stopped = 6;
        public const int Unknown = 7;
    }

    /// <summary>mfr_status: MfrException.Status.</summary>
    public static class Status
    {
        public const int Ok = 0;
        public const int InvalidArgument = 1;
        public const int InvalidHandle = 2;
        public const int Parse = 3;
        public const int InvalidData = 4;
        public const int NotFound = 5;
        public const int NoMemory = 6;
        public const int IO = 7;
        public const int Cancelled = 8;
        public const int AbiMismatch = 9;
        public const int Unsupported = 10;
        public const int Internal = 11;
        public const int Network = 12;
        public const int Tls = 13;
        public const int Timeout = 14;
        public const int Refused = 15;
        public const int Auth = 16;
    }

    /// <summary>mfr_region: treated regions and the sites of findings off the spine.</summary>
    public static class Region
    {
        public const int Spine = 0;
        public const int CervicalSpine = 1;
        public const int ThoracicSpine = 2;
        public const int LumbarSpine = 3;
        public const int Sacrum = 4;
        public const int UpperTrapezius = 5;
        public const int RibCage = 6;
        public const int ChestWall = 7;
        public const int Interscapular = 8;
        public const int Scapular = 9;
        public const int SkinOfBack = 10;
        public const int LumbarRegion = 11;
        public const int Neck = 12;
        public const int Shoulder = 13;
        public const int Other = 14;
    }
}
