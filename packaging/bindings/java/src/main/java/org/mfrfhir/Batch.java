package org.mfrfhir;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/** mfr_batch: legacy notes (text, CSV, HL7 v2) to FHIR, every note accounted for. Close it. */
public final class Batch implements AutoCloseable {
    /** mfr_batch_options; null texts are NULL. */
    public static final class Options {
        public int format = NoteFormat.TEXT;
        public String outDir;          // null: results stay in memory for takeResult()
        public int threads;
        public boolean monthFirst;
        public String idNamespace;
        public String defaultPatient;
        public String patientSystem;
        public String csvColumns;
        public char csvDelimiter;
        public boolean restart;
    }

    private Pointer handle;

    Batch(Context context, Options options) {
        Structs.BatchOptions o = new Structs.BatchOptions();
        o.format = options.format;
        o.threads = options.threads;
        o.month_first = options.monthFirst ? 1 : 0;
        o.restart = options.restart ? 1 : 0;
        o.csv_delimiter = (byte) options.csvDelimiter;
        Memory outDir = Mfr.utf8Memory(options.outDir);          // copied by mfr_batch_new()
        Memory idNamespace = Mfr.utf8Memory(options.idNamespace);
        Memory defaultPatient = Mfr.utf8Memory(options.defaultPatient);
        Memory patientSystem = Mfr.utf8Memory(options.patientSystem);
        Memory csvColumns = Mfr.utf8Memory(options.csvColumns);
        o.out_dir = outDir;
        o.id_namespace = idNamespace;
        o.default_patient = defaultPatient;
        o.patient_system = patientSystem;
        o.csv_columns = csvColumns;
        PointerByReference out = new PointerByReference();
        Mfr.check(Mfr.LIB.mfr_batch_new(out, context.handle(), o));
        handle = out.getValue();
    }

    @Override
    public void close() {
        if (handle != null) {
            Mfr.LIB.mfr_batch_free(handle);
            handle = null;
        }
    }

    public Batch addFile(String path) {
        Mfr.check(Mfr.LIB.mfr_batch_add_file(handle, Mfr.utf8(path)));
        return this;
    }

    /** One note handed over by the EMR; `origin` names it in the report (no patient data). */
    public Batch addNote(String text, String origin, String patient, String date, String id) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Mfr.check(Mfr.LIB.mfr_batch_add_note(handle, bytes, new SizeT(bytes.length), Mfr.utf8(origin),
                Mfr.utf8(patient), Mfr.utf8(date), Mfr.utf8(id)));
        return this;
    }

    /** Runs the batch; the final counts: notes, imported, importedWithWarnings, quarantined, findings. */
    public long[] run() {
        Structs.BatchProgress p = new Structs.BatchProgress();
        Mfr.check(Mfr.LIB.mfr_batch_execute(p, handle));
        return new long[] {p.notes, p.imported, p.imported_with_warnings, p.quarantined, p.findings};
    }

    /** After a run without outDir: the sessions, and the per-note report as its outcome(). */
    public ImportResult takeResult() {
        PointerByReference out = new PointerByReference();
        Mfr.check(Mfr.LIB.mfr_batch_take_result(out, handle));
        return new ImportResult(out.getValue());
    }
}
