using System;
using System.Runtime.InteropServices;
using System.Text;

namespace MfrFhir
{
    /// <summary>The library, opened with dlopen: MFR_FHIR_LIBRARY (a path) when set, else
    /// libmfr-fhir.so.1 from the system's library path (never the unversioned dev symlink).
    /// dlopen + Marshal.GetDelegateForFunctionPointer works the same on Mono and .NET 6+, where
    /// a [DllImport] name cannot follow an environment variable without a dllmap (Mono) or
    /// NativeLibrary.SetDllImportResolver (.NET). Every text crosses as UTF-8 bytes made here:
    /// no string marshalling, whose charset depends on the runtime (older Mono lacks
    /// UnmanagedType.LPUTF8Str).</summary>
    internal static class Native
    {
        [DllImport("libdl.so.2")] private static extern IntPtr dlopen(byte[] file, int mode);
        [DllImport("libdl.so.2")] private static extern IntPtr dlsym(IntPtr handle, byte[] name);
        [DllImport("libdl.so.2")] private static extern IntPtr dlerror();
        private const int RTLD_NOW = 2;

        internal static readonly string LibraryPath = LibraryPathFromEnvironment();
        private static readonly IntPtr Library = Open();

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate IntPtr TextFn();
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate IntPtr StatusStrFn(int status);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate void FreeFn(IntPtr handle);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int ContextOpenFn(out IntPtr ctx, ref Structs.ContextOptions options);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int NewFn(out IntPtr session, IntPtr ctx, byte[] id);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int CloneFn(out IntPtr copy, IntPtr session);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int SetTextFn(IntPtr session, byte[] text);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int SetPeriodFn(IntPtr session, byte[] start, byte[] end);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int SetIntFn(IntPtr session, int value);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int SetCourseFn(IntPtr session, int number, int planned);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int AddFindingFn(IntPtr session, ref Structs.Finding finding);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int GetInfoFn(ref Structs.SessionInfo info, IntPtr session);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int FromJsonFn(out IntPtr session, out IntPtr outcome, IntPtr ctx, byte[] json, UIntPtr len);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int ToTextFn(out IntPtr buffer, out UIntPtr len, IntPtr handle);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int ExportFn(out IntPtr buffer, out UIntPtr len, IntPtr ctx, IntPtr[] sessions, UIntPtr count, int format);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int ImportFn(out IntPtr result, IntPtr ctx, byte[] data, UIntPtr len, int input);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int CountsFn(ref Structs.ImportCounts counts, IntPtr result);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int ResultSessionFn(out IntPtr session, IntPtr result, UIntPtr index);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int ValidateFn(out IntPtr outcome, out UIntPtr len, IntPtr ctx, byte[] data, UIntPtr dataLen, int input, int strictness);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int ChartFn(out IntPtr svg, out UIntPtr len, IntPtr session, ref Structs.ChartOptions options);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int BatchNewFn(out IntPtr batch, IntPtr ctx, ref Structs.BatchOptions options);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int BatchAddNoteFn(IntPtr batch, byte[] text, UIntPtr len, byte[] origin, byte[] patient, byte[] date, byte[] id);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int BatchExecuteFn(ref Structs.BatchProgress counts, IntPtr batch);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] internal delegate int TakeResultFn(out IntPtr result, IntPtr batch);

        internal static readonly TextFn mfr_version = Bind<TextFn>("mfr_version");
        internal static readonly StatusStrFn mfr_status_str = Bind<StatusStrFn>("mfr_status_str");
        internal static readonly TextFn mfr_last_error = Bind<TextFn>("mfr_last_error");
        internal static readonly FreeFn mfr_free = Bind<FreeFn>("mfr_free");
        internal static readonly ContextOpenFn mfr_context_open = Bind<ContextOpenFn>("mfr_context_open");
        internal static readonly FreeFn mfr_context_close = Bind<FreeFn>("mfr_context_close");
        internal static readonly NewFn mfr_session_new = Bind<NewFn>("mfr_session_new");
        internal static readonly FreeFn mfr_session_free = Bind<FreeFn>("mfr_session_free");
        internal static readonly CloneFn mfr_session_clone = Bind<CloneFn>("mfr_session_clone");
        internal static readonly SetTextFn mfr_session_set_patient = Bind<SetTextFn>("mfr_session_set_patient");
        internal static readonly SetTextFn mfr_session_set_practitioner = Bind<SetTextFn>("mfr_session_set_practitioner");
        internal static readonly SetTextFn mfr_session_set_encounter = Bind<SetTextFn>("mfr_session_set_encounter");
        internal static readonly SetPeriodFn mfr_session_set_period = Bind<SetPeriodFn>("mfr_session_set_period");
        internal static readonly SetIntFn mfr_session_set_status = Bind<SetIntFn>("mfr_session_set_status");
        internal static readonly SetIntFn mfr_session_add_region = Bind<SetIntFn>("mfr_session_add_region");
        internal static readonly SetTextFn mfr_session_set_note = Bind<SetTextFn>("mfr_session_set_note");
        internal static readonly SetCourseFn mfr_session_set_course = Bind<SetCourseFn>("mfr_session_set_course");
        internal static readonly AddFindingFn mfr_session_add_finding = Bind<AddFindingFn>("mfr_session_add_finding");
        internal static readonly GetInfoFn mfr_session_info_get = Bind<GetInfoFn>("mfr_session_info_get");
        internal static readonly FromJsonFn mfr_session_from_json = Bind<FromJsonFn>("mfr_session_from_json");
        internal static readonly ToTextFn mfr_session_to_json = Bind<ToTextFn>("mfr_session_to_json");
        internal static readonly ExportFn mfr_export = Bind<ExportFn>("mfr_export");
        internal static readonly ImportFn mfr_import = Bind<ImportFn>("mfr_import");
        internal static readonly FreeFn mfr_import_result_free = Bind<FreeFn>("mfr_import_result_free");
        internal static readonly CountsFn mfr_import_result_counts_get = Bind<CountsFn>("mfr_import_result_counts_get");
        internal static readonly ResultSessionFn mfr_import_result_session = Bind<ResultSessionFn>("mfr_import_result_session");
        internal static readonly ToTextFn mfr_import_result_outcome = Bind<ToTextFn>("mfr_import_result_outcome");
        internal static readonly ValidateFn mfr_validate = Bind<ValidateFn>("mfr_validate");
        internal static readonly ChartFn mfr_chart_session = Bind<ChartFn>("mfr_chart_session");
        internal static readonly BatchNewFn mfr_batch_new = Bind<BatchNewFn>("mfr_batch_new");
        internal static readonly FreeFn mfr_batch_free = Bind<FreeFn>("mfr_batch_free");
        internal static readonly SetTextFn mfr_batch_add_file = Bind<SetTextFn>("mfr_batch_add_file");
        internal static readonly BatchAddNoteFn mfr_batch_add_note = Bind<BatchAddNoteFn>("mfr_batch_add_note");
        internal static readonly BatchExecuteFn mfr_batch_execute = Bind<BatchExecuteFn>("mfr_batch_execute");
        internal static readonly TakeResultFn mfr_batch_take_result = Bind<TakeResultFn>("mfr_batch_take_result");

        private static string LibraryPathFromEnvironment()
        {
            string path = Environment.GetEnvironmentVariable("MFR_FHIR_LIBRARY");
            return string.IsNullOrEmpty(path) ? "libmfr-fhir.so.1" : path;
        }

        private static IntPtr Open()
        {
            IntPtr library = dlopen(Utf8(LibraryPath), RTLD_NOW);
            if (library == IntPtr.Zero)
                throw new DllNotFoundException("mfr: cannot load " + LibraryPath + ": " + Text(dlerror()));
            return library;
        }

        private static T Bind<T>(string name) where T : class
        {
            IntPtr function = dlsym(Library, Utf8(name));
            if (function == IntPtr.Zero)
                throw new EntryPointNotFoundException("mfr: " + LibraryPath + " has no " + name);
            return (T)(object)Marshal.GetDelegateForFunctionPointer(function, typeof(T));
        }

        /// <summary>NUL-terminated UTF-8 bytes of s; null stays NULL.</summary>
        internal static byte[] Utf8(string s)
        {
            if (s == null) return null;
            byte[] bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
            Encoding.UTF8.GetBytes(s, 0, s.Length, bytes, 0);
            return bytes;
        }

        /// <summary>s as UTF-8 in C memory, for struct fields; the caller frees it (FreeText).</summary>
        internal static IntPtr Utf8Memory(string s)
        {
            if (s == null) return IntPtr.Zero;
            byte[] bytes = Utf8(s);
            IntPtr memory = Marshal.AllocHGlobal(bytes.Length);
            Marshal.Copy(bytes, 0, memory, bytes.Length);
            return memory;
        }

        internal static void FreeText(IntPtr memory)
        {
            if (memory != IntPtr.Zero) Marshal.FreeHGlobal(memory);
        }

        /// <summary>A C string read as UTF-8; NULL is null.</summary>
        internal static string Text(IntPtr p)
        {
            if (p == IntPtr.Zero) return null;
            int n = 0;
            while (Marshal.ReadByte(p, n) != 0) n++;
            return Text(p, n);
        }

        private static string Text(IntPtr p, int length)
        {
            byte[] bytes = new byte[length];
            Marshal.Copy(p, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }

        /// <summary>Copies a buffer the library returned into a string and frees it (mfr_free()).</summary>
        internal static string Take(IntPtr buffer, UIntPtr length)
        {
            try
            {
                return Text(buffer, checked((int)length.ToUInt64()));
            }
            finally
            {
                mfr_free(buffer);
            }
        }

        internal static string LastError()
        {
            return Text(mfr_last_error());
        }

        /// <summary>Throws the MfrException of a failed call, with mfr_last_error() read right after
        /// the call on this thread.</summary>
        internal static void Check(int status)
        {
            if (status != 0) throw new MfrException(status, LastError(), null);
        }

        internal delegate int BufferCall(out IntPtr buffer, out UIntPtr length);

        internal static string TextOf(BufferCall call)
        {
            IntPtr buffer;
            UIntPtr length;
            Check(call(out buffer, out length));
            return Take(buffer, length);
        }
    }
}
