package org.mfrfhir;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/** mfr_context: the clinic's configuration, used by one thread at a time. Close it (try-with-resources). */
public final class Context implements AutoCloseable {
    private Pointer handle;

    /** @param identifierSystem the clinic's identifier system URI, e.g. "https://clinic.example/fhir/sessions" */
    public Context(String identifierSystem) {
        Memory system = Mfr.utf8Memory(identifierSystem);
        Structs.ContextOptions options = new Structs.ContextOptions();
        options.identifier_system = system;
        options.log_level = 2; // MFR_LOG_WARNING
        PointerByReference out = new PointerByReference();
        Mfr.check(Mfr.LIB.mfr_context_open(out, options));
        handle = out.getValue();
    }

    @Override
    public void close() {
        if (handle != null) {
            Mfr.LIB.mfr_context_close(handle);
            handle = null;
        }
    }

    /** The C handle; NULL once closed, which the library refuses with MFR_ERR_INVALID_HANDLE. */
    Pointer handle() {
        return handle;
    }

    /** A new empty session with business key `id`. */
    public Session newSession(String id) {
        PointerByReference out = new PointerByReference();
        Mfr.check(Mfr.LIB.mfr_session_new(out, handle, Mfr.utf8(id)));
        return new Session(out.getValue());
    }

    /** A session from session JSON (mfr.h, mfr_session_from_json()); MfrException with the
     *  OperationOutcome when it is malformed or invalid. */
    public Session sessionFromJson(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        PointerByReference out = new PointerByReference();
        PointerByReference outcome = new PointerByReference();
        int status = Mfr.LIB.mfr_session_from_json(out, outcome, handle, bytes, new SizeT(bytes.length));
        if (status != 0) {
            String message = Mfr.lastError();   // before mfr_free() clears it
            Pointer p = outcome.getValue();
            String text = null;
            if (p != null) {
                text = Mfr.text(p);
                Mfr.LIB.mfr_free(p);
            }
            throw new MfrException(status, message, text);
        }
        return new Session(out.getValue());
    }

    /** FHIR R4 JSON of the sessions in `format` (Format.TRANSACTION, ...). */
    public String export(int format, Session... sessions) {
        Pointer[] handles = new Pointer[Math.max(1, sessions.length)];
        for (int i = 0; i < sessions.length; i++) {
            handles[i] = sessions[i].handle();
        }
        return Mfr.text((out, len) -> Mfr.LIB.mfr_export(out, len, handle, handles, new SizeT(sessions.length), format));
    }

    /** Imports FHIR JSON (a resource, a Bundle, NDJSON). A partly rejected import is returned,
     *  not thrown: the accepted sessions are in it and outcome() says what was rejected. Text
     *  that is not JSON at all throws, with the OperationOutcome (line and column). */
    public ImportResult importFhir(String data, int input) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        PointerByReference out = new PointerByReference();
        int status = Mfr.LIB.mfr_import(out, handle, bytes, new SizeT(bytes.length), input);
        if (status == 0 || status == Status.INVALID_DATA) {
            return new ImportResult(out.getValue());
        }
        String message = Mfr.lastError();
        String outcome = null;
        if (status == Status.PARSE) {
            try (ImportResult result = new ImportResult(out.getValue())) {
                outcome = result.outcome();
            }
        }
        throw new MfrException(status, message, outcome);
    }

    /** Validates FHIR R4 JSON; returns the OperationOutcome (warnings) when it has no errors,
     *  throws MfrException carrying it when it has. */
    public String validate(String data, int input, int strictness) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        PointerByReference out = new PointerByReference();
        Memory length = Mfr.sizeOut();
        int status = Mfr.LIB.mfr_validate(out, length, handle, bytes, new SizeT(bytes.length), input, strictness);
        String message = Mfr.lastError();
        String outcome = out.getValue() == null ? null : Mfr.take(out, length);
        if (status != 0) {
            throw new MfrException(status, message, outcome);
        }
        return outcome;
    }

    /** A batch import of legacy notes. */
    public Batch batch(Batch.Options options) {
        return new Batch(this, options);
    }
}
