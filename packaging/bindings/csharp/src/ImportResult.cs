using System;

namespace MfrFhir
{
    /// <summary>mfr_import_result: the sessions an import assembled and its issues. Dispose it.</summary>
    public sealed class ImportResult : IDisposable
    {
        private readonly ImportResultHandle handle;

        internal ImportResult(IntPtr result) { handle = new ImportResultHandle(result); }

        public void Dispose() { handle.Dispose(); }

        /// <summary>resources, rejected, sessions, errors, warnings.</summary>
        public ulong[] Counts()
        {
            var c = new Structs.ImportCounts();
            c.struct_size = Structs.SizeOf<Structs.ImportCounts>();
            Native.Check(Native.mfr_import_result_counts_get(ref c, handle.Raw));
            return new[] { c.resources.ToUInt64(), c.rejected.ToUInt64(), c.sessions.ToUInt64(), c.errors.ToUInt64(),
                           c.warnings.ToUInt64() };
        }

        /// <summary>Session index as a copy the caller owns (it outlives this result).</summary>
        public Session Session(ulong index)
        {
            IntPtr borrowed, copy;
            Native.Check(Native.mfr_import_result_session(out borrowed, handle.Raw, (UIntPtr)index));
            Native.Check(Native.mfr_session_clone(out copy, borrowed));
            return new Session(copy);
        }

        /// <summary>The import's issues as an OperationOutcome JSON.</summary>
        public string Outcome()
        {
            return Native.TextOf((out IntPtr buffer, out UIntPtr length) =>
                Native.mfr_import_result_outcome(out buffer, out length, handle.Raw));
        }
    }
}
