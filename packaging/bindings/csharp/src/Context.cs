using System;
using System.Text;

namespace MfrFhir
{
    /// <summary>mfr_context: the clinic's configuration, used by one thread at a time. Dispose it.</summary>
    public sealed class Context : IDisposable
    {
        private readonly ContextHandle handle;

        /// <summary>The library's version, e.g. "0.1.0".</summary>
        public static string Version { get { return Native.Text(Native.mfr_version()); } }

        /// <param name="identifierSystem">the clinic's identifier system URI, e.g. "https://clinic.example/fhir/sessions"</param>
        public Context(string identifierSystem)
        {
            var options = new Structs.ContextOptions();
            options.struct_size = Structs.SizeOf<Structs.ContextOptions>();
            options.log_level = 2; // MFR_LOG_WARNING
            options.identifier_system = Native.Utf8Memory(identifierSystem);
            try
            {
                IntPtr ctx;
                Native.Check(Native.mfr_context_open(out ctx, ref options));
                handle = new ContextHandle(ctx);
            }
            finally
            {
                Native.FreeText(options.identifier_system);
            }
        }

        public void Dispose() { handle.Dispose(); }

        internal IntPtr Raw { get { return handle.Raw; } }

        /// <summary>A new empty session with business key id.</summary>
        public Session NewSession(string id)
        {
            IntPtr session;
            Native.Check(Native.mfr_session_new(out session, Raw, Native.Utf8(id)));
            return new Session(session);
        }

        /// <summary>A session from session JSON; MfrException with the OperationOutcome when it is
        /// malformed or invalid.</summary>
        public Session SessionFromJson(string json)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            IntPtr session, outcome;
            int status = Native.mfr_session_from_json(out session, out outcome, Raw, bytes, (UIntPtr)bytes.Length);
            if (status != 0)
            {
                string message = Native.LastError();   // before mfr_free() clears it
                string text = Native.Text(outcome);
                if (outcome != IntPtr.Zero) Native.mfr_free(outcome);
                throw new MfrException(status, message, text);
            }
            return new Session(session);
        }

        /// <summary>FHIR R4 JSON of the sessions in format (Format.Transaction, ...).</summary>
        public string Export(int format, params Session[] sessions)
        {
            var handles = new IntPtr[Math.Max(1, sessions.Length)];
            for (int i = 0; i < sessions.Length; i++) handles[i] = sessions[i].Raw;
            string text = Native.TextOf((out IntPtr buffer, out UIntPtr length) =>
                Native.mfr_export(out buffer, out length, Raw, handles, (UIntPtr)sessions.Length, format));
            GC.KeepAlive(sessions);
            return text;
        }

        /// <summary>Imports FHIR JSON (a resource, a Bundle, NDJSON). A partly rejected import is
        /// returned, not thrown: the accepted sessions are in it and Outcome() says what was rejected.
        /// Text that is not JSON at all throws, with the OperationOutcome (line and column).</summary>
        public ImportResult Import(string data, int input)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(data);
            IntPtr result;
            int status = Native.mfr_import(out result, Raw, bytes, (UIntPtr)bytes.Length, input);
            if (status == 0 || status == Status.InvalidData) return new ImportResult(result);
            string message = Native.LastError();
            string outcome = null;
            if (status == Status.Parse)
            {
                using (var partial = new ImportResult(result)) outcome = partial.Outcome();
            }
            throw new MfrException(status, message, outcome);
        }

        /// <summary>Validates FHIR R4 JSON; returns the OperationOutcome (warnings) when it has no
        /// errors, throws MfrException carrying it when it has.</summary>
        public string Validate(string data, int input, int strictness)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(data);
            IntPtr outcome;
            UIntPtr length;
            int status = Native.mfr_validate(out outcome, out length, Raw, bytes, (UIntPtr)bytes.Length, input, strictness);
            string message = Native.LastError();
            string text = outcome == IntPtr.Zero ? null : Native.Take(outcome, length);
            if (status != 0) throw new MfrException(status, message, text);
            return text;
        }

        /// <summary>A batch import of legacy notes.</summary>
        public Batch Batch(BatchOptions options) { return new Batch(this, options); }
    }
}
