package org.mfrfhir;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** mfr_import_result: the sessions an import assembled and its issues. Close it (try-with-resources). */
public final class ImportResult implements AutoCloseable {
    private Pointer handle;

    ImportResult(Pointer handle) {
        this.handle = handle;
    }

    @Override
    public void close() {
        if (handle != null) {
            Mfr.LIB.mfr_import_result_free(handle);
            handle = null;
        }
    }

    /** resources, rejected, sessions, errors, warnings. */
    public long[] counts() {
        Structs.ImportCounts c = new Structs.ImportCounts();
        Mfr.check(Mfr.LIB.mfr_import_result_counts_get(c, handle));
        return new long[] {c.resources.longValue(), c.rejected.longValue(), c.sessions.longValue(),
                           c.errors.longValue(), c.warnings.longValue()};
    }

    public long sessionCount() {
        return counts()[2];
    }

    /** Session `index` as a copy the caller owns (it outlives this result). */
    public Session session(long index) {
        PointerByReference borrowed = new PointerByReference();
        Mfr.check(Mfr.LIB.mfr_import_result_session(borrowed, handle, new SizeT(index)));
        PointerByReference copy = new PointerByReference();
        Mfr.check(Mfr.LIB.mfr_session_clone(copy, borrowed.getValue()));
        return new Session(copy.getValue());
    }

    /** The import's issues as an OperationOutcome JSON. */
    public String outcome() {
        return Mfr.text((out, len) -> Mfr.LIB.mfr_import_result_outcome(out, len, handle));
    }
}
