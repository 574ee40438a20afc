package org.mfrfhir;

import com.sun.jna.IntegerType;
import com.sun.jna.Native;

/** C's size_t (JNA's core has none). */
public final class SizeT extends IntegerType {
    public SizeT() {
        this(0);
    }

    public SizeT(long value) {
        super(Native.SIZE_T_SIZE, value, true);
    }
}
