package org.mfrfhir;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** mfr.h's structs, field by field in the header's order. Each sets struct_size to its own size,
 *  so a newer library reads only the fields this binding knows. Text fields are Pointers to
 *  UTF-8 memory (Mfr.utf8Memory()) kept alive by the caller for the call. */
final class Structs {
    private Structs() {
    }

    @FieldOrder({"struct_size", "identifier_system", "log", "user_data", "log_level"})
    public static final class ContextOptions extends Structure {
        public int struct_size;
        public Pointer identifier_system;
        public Pointer log;
        public Pointer user_data;
        public int log_level;

        ContextOptions() {
            struct_size = size();
        }
    }

    @FieldOrder({"struct_size", "site_kind", "level", "region", "region_text", "side", "restriction", "pain_nrs",
                 "pain_vas_mm", "tender", "released", "note", "status"})
    public static final class Finding extends Structure {
        public int struct_size;
        public int site_kind;
        public int level;
        public int region;
        public Pointer region_text;
        public int side;
        public int restriction;
        public int pain_nrs;
        public Pointer pain_vas_mm;
        public int tender;
        public int released;
        public Pointer note;
        public int status;

        Finding() {
            struct_size = size();
        }
    }

    @FieldOrder({"struct_size", "id", "patient", "practitioner", "encounter", "start", "end", "status", "note",
                 "session_number", "planned_sessions", "region_count", "finding_count", "source_text", "fhir_id"})
    public static final class SessionInfo extends Structure {
        public int struct_size;
        public Pointer id;
        public Pointer patient;
        public Pointer practitioner;
        public Pointer encounter;
        public Pointer start;
        public Pointer end;
        public int status;
        public Pointer note;
        public int session_number;
        public int planned_sessions;
        public SizeT region_count;
        public SizeT finding_count;
        public Pointer source_text;
        public Pointer fhir_id;

        SessionInfo() {
            struct_size = size();
        }
    }

    @FieldOrder({"struct_size", "resources", "rejected", "sessions", "errors", "warnings"})
    public static final class ImportCounts extends Structure {
        public int struct_size;
        public SizeT resources;
        public SizeT rejected;
        public SizeT sessions;
        public SizeT errors;
        public SizeT warnings;

        ImportCounts() {
            struct_size = size();
        }
    }

    @FieldOrder({"struct_size", "width_px", "height_px", "full_spine", "show_patient", "patient_label", "language",
                 "title"})
    public static final class ChartOptions extends Structure {
        public int struct_size;
        public int width_px;
        public int height_px;
        public int full_spine;
        public int show_patient;
        public Pointer patient_label;
        public Pointer language;
        public Pointer title;

        ChartOptions() {
            struct_size = size();
        }
    }

    @FieldOrder({"struct_size", "format", "out_dir", "threads", "month_first", "id_namespace", "default_patient",
                 "patient_system", "csv_columns", "csv_delimiter", "restart", "progress", "user_data"})
    public static final class BatchOptions extends Structure {
        public int struct_size;
        public int format;
        public Pointer out_dir;
        public int threads;
        public int month_first;
        public Pointer id_namespace;
        public Pointer default_patient;
        public Pointer patient_system;
        public Pointer csv_columns;
        public byte csv_delimiter;
        public int restart;
        public Pointer progress;
        public Pointer user_data;

        BatchOptions() {
            struct_size = size();
        }
    }

    @FieldOrder({"struct_size", "notes", "imported", "imported_with_warnings", "quarantined", "findings",
                 "bytes_done", "bytes_total", "resumed_notes", "elapsed_seconds"})
    public static final class BatchProgress extends Structure {
        public int struct_size;
        public long notes;
        public long imported;
        public long imported_with_warnings;
        public long quarantined;
        public long findings;
        public long bytes_done;
        public long bytes_total;
        public long resumed_notes;
        public double elapsed_seconds;

        BatchProgress() {
            struct_size = size();
        }
    }
}
