package org.mfrfhir;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** The C functions this binding calls, as mfr.h declares them. Every `const char *` argument is
 *  a NUL-terminated UTF-8 byte[] (Mfr.utf8()) and every returned text a Pointer read as UTF-8:
 *  never JNA's String mapping, which uses the platform charset ("?" for "é" under LC_ALL=C).
 *  size_t arguments are SizeT; size_t out-parameters are Mfr.sizeOut() memory. */
interface MfrNative extends Library {
    Pointer mfr_version();
    Pointer mfr_status_str(int status);
    Pointer mfr_last_error();
    void mfr_free(Pointer buffer);

    int mfr_context_open(PointerByReference out, Structs.ContextOptions options);
    void mfr_context_close(Pointer ctx);

    int mfr_session_new(PointerByReference out, Pointer ctx, byte[] id);
    void mfr_session_free(Pointer session);
    int mfr_session_clone(PointerByReference out, Pointer session);
    int mfr_session_set_patient(Pointer session, byte[] reference);
    int mfr_session_set_practitioner(Pointer session, byte[] reference);
    int mfr_session_set_encounter(Pointer session, byte[] reference);
    int mfr_session_set_period(Pointer session, byte[] start, byte[] end);
    int mfr_session_set_status(Pointer session, int status);
    int mfr_session_add_region(Pointer session, int region);
    int mfr_session_set_note(Pointer session, byte[] note);
    int mfr_session_set_course(Pointer session, int number, int planned);
    int mfr_session_add_finding(Pointer session, Structs.Finding finding);
    int mfr_session_info_get(Structs.SessionInfo out, Pointer session);
    int mfr_session_from_json(PointerByReference out, PointerByReference outcome, Pointer ctx, byte[] json, SizeT len);
    int mfr_session_to_json(PointerByReference out, Pointer outLen, Pointer session);

    int mfr_export(PointerByReference out, Pointer outLen, Pointer ctx, Pointer[] sessions, SizeT count, int format);

    int mfr_import(PointerByReference out, Pointer ctx, byte[] data, SizeT len, int input);
    void mfr_import_result_free(Pointer result);
    int mfr_import_result_counts_get(Structs.ImportCounts out, Pointer result);
    int mfr_import_result_session(PointerByReference out, Pointer result, SizeT index);
    int mfr_import_result_outcome(PointerByReference out, Pointer outLen, Pointer result);

    int mfr_validate(PointerByReference outcome, Pointer outcomeLen, Pointer ctx, byte[] data, SizeT len, int input,
                     int strictness);

    int mfr_chart_session(PointerByReference out, Pointer outLen, Pointer session, Structs.ChartOptions options);

    int mfr_batch_new(PointerByReference out, Pointer ctx, Structs.BatchOptions options);
    void mfr_batch_free(Pointer batch);
    int mfr_batch_add_file(Pointer batch, byte[] path);
    int mfr_batch_add_note(Pointer batch, byte[] text, SizeT len, byte[] origin, byte[] patient, byte[] date,
                           byte[] id);
    int mfr_batch_execute(Structs.BatchProgress counts, Pointer batch);
    int mfr_batch_take_result(PointerByReference out, Pointer batch);
}
