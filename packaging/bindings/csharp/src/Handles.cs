using System;
using System.Runtime.InteropServices;

namespace MfrFhir
{
    /// <summary>A library handle released exactly once, by Dispose() or by the finalizer.</summary>
    internal abstract class MfrHandle : SafeHandle
    {
        protected MfrHandle(IntPtr handle) : base(IntPtr.Zero, true)
        {
            SetHandle(handle);
        }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        /// <summary>The pointer for a call; NULL once closed, which the library refuses with
        /// MFR_ERR_INVALID_HANDLE.</summary>
        internal IntPtr Raw { get { return IsClosed ? IntPtr.Zero : handle; } }
    }

    internal sealed class ContextHandle : MfrHandle
    {
        internal ContextHandle(IntPtr handle) : base(handle) { }
        protected override bool ReleaseHandle() { Native.mfr_context_close(handle); return true; }
    }

    internal sealed class SessionHandle : MfrHandle
    {
        internal SessionHandle(IntPtr handle) : base(handle) { }
        protected override bool ReleaseHandle() { Native.mfr_session_free(handle); return true; }
    }

    internal sealed class ImportResultHandle : MfrHandle
    {
        internal ImportResultHandle(IntPtr handle) : base(handle) { }
        protected override bool ReleaseHandle() { Native.mfr_import_result_free(handle); return true; }
    }

    internal sealed class BatchHandle : MfrHandle
    {
        internal BatchHandle(IntPtr handle) : base(handle) { }
        protected override bool ReleaseHandle() { Native.mfr_batch_free(handle); return true; }
    }

    /// <summary>A call the library refused: Status, the library's sentence (mfr_last_error()) as
    /// Message and, for invalid data or malformed JSON, the OperationOutcome JSON.</summary>
    public sealed class MfrException : Exception
    {
        internal MfrException(int status, string message, string outcome) : base(message)
        {
            Status = status;
            Outcome = outcome;
        }

        /// <summary>The mfr_status number (Status.Parse, ...).</summary>
        public int Status { get; private set; }

        /// <summary>The OperationOutcome JSON, or null when the call gives none.</summary>
        public string Outcome { get; private set; }

        /// <summary>The status's fixed English name, e.g. "MFR_ERR_PARSE: malformed JSON".</summary>
        public string StatusName { get { return Native.Text(Native.mfr_status_str(Status)); } }
    }
}
