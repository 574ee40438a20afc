package org.mfrfhir;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The loaded library: MFR_FHIR_LIBRARY (a path) when set, else libmfr-fhir.so.1 from the
 *  system's library path (never the unversioned libmfr-fhir.so of a -dev package). */
public final class Mfr {
    static final MfrNative LIB = Native.load(libraryPath(), MfrNative.class);

    private Mfr() {
    }

    public static String libraryPath() {
        String path = System.getenv("MFR_FHIR_LIBRARY");
        return path != null && !path.isEmpty() ? path : "libmfr-fhir.so.1";
    }

    /** The library's version, e.g. "0.1.0". */
    public static String version() {
        return text(LIB.mfr_version());
    }

    /** The fixed English name of a status, e.g. "MFR_ERR_PARSE: malformed JSON". */
    public static String statusName(int status) {
        return text(LIB.mfr_status_str(status));
    }

    /** Throws the MfrException of a failed call, with mfr_last_error() read right after the
     *  call on this thread (JNA calls on the calling thread). */
    static void check(int status) {
        if (status != 0) {
            throw new MfrException(status, lastError(), null);
        }
    }

    static String lastError() {
        return text(LIB.mfr_last_error());
    }

    /** NUL-terminated UTF-8 bytes of `s` (null stays NULL), whatever the platform charset. */
    static byte[] utf8(String s) {
        if (s == null) {
            return null;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    /** `s` as UTF-8 in C memory, for struct fields; freed when the Memory is collected. */
    static Memory utf8Memory(String s) {
        if (s == null) {
            return null;
        }
        byte[] bytes = utf8(s);
        Memory memory = new Memory(bytes.length);
        memory.write(0, bytes, 0, bytes.length);
        return memory;
    }

    /** A C string as UTF-8; NULL is null. */
    static String text(Pointer p) {
        return p == null ? null : p.getString(0, "UTF-8");
    }

    /** Room for a size_t out-parameter. */
    static Memory sizeOut() {
        Memory memory = new Memory(Native.SIZE_T_SIZE);
        memory.clear();
        return memory;
    }

    static long size(Pointer sizeOut) {
        return Native.SIZE_T_SIZE == 8 ? sizeOut.getLong(0) : sizeOut.getInt(0) & 0xFFFFFFFFL;
    }

    /** Copies a buffer the library returned into a String and frees it (mfr_free()). */
    static String take(PointerByReference buffer, Pointer length) {
        Pointer p = buffer.getValue();
        try {
            long n = size(length);
            if (n > Integer.MAX_VALUE) {
                throw new OutOfMemoryError("mfr: a buffer of " + n + " bytes does not fit a Java array");
            }
            return new String(p.getByteArray(0, (int) n), StandardCharsets.UTF_8);
        } finally {
            LIB.mfr_free(p);
        }
    }

    /** A call that returns a buffer (char **out, size_t *out_len). */
    interface TextCall {
        int call(PointerByReference out, Pointer outLen);
    }

    static String text(TextCall call) {
        PointerByReference out = new PointerByReference();
        Memory length = sizeOut();
        check(call.call(out, length));
        return take(out, length);
    }
}
