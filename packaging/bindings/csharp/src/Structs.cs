using System;
using System.Runtime.InteropServices;

namespace MfrFhir
{
    /// <summary>mfr.h's structs, field by field in the header's order. struct_size is set to this
    /// binding's size of each, so a newer library reads only the fields it knows. Text fields are
    /// UTF-8 memory from Native.Utf8Memory, freed by the caller after the call.</summary>
    internal static class Structs
    {
        [StructLayout(LayoutKind.Sequential)]
        internal struct ContextOptions
        {
            public uint struct_size;
            public IntPtr identifier_system, log, user_data;
            public int log_level;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct Finding
        {
            public uint struct_size;
            public int site_kind, level, region;
            public IntPtr region_text;
            public int side, restriction, pain_nrs;
            public IntPtr pain_vas_mm;
            public int tender, released;
            public IntPtr note;
            public int status;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct SessionInfo
        {
            public uint struct_size;
            public IntPtr id, patient, practitioner, encounter, start, end;
            public int status;
            public IntPtr note;
            public int session_number, planned_sessions;
            public UIntPtr region_count, finding_count;
            public IntPtr source_text, fhir_id;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct ImportCounts
        {
            public uint struct_size;
            public UIntPtr resources, rejected, sessions, errors, warnings;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct ChartOptions
        {
            public uint struct_size;
            public int width_px, height_px, full_spine, show_patient;
            public IntPtr patient_label, language, title;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct BatchOptions
        {
            public uint struct_size;
            public int format;
            public IntPtr out_dir;
            public int threads, month_first;
            public IntPtr id_namespace, default_patient, patient_system, csv_columns;
            public byte csv_delimiter;
            public int restart;
            public IntPtr progress, user_data;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct BatchProgress
        {
            public uint struct_size;
            public ulong notes, imported, imported_with_warnings, quarantined, findings, bytes_done, bytes_total,
                resumed_notes;
            public double elapsed_seconds;
        }

        internal static uint SizeOf<T>() where T : struct
        {
            return (uint)Marshal.SizeOf(typeof(T));
        }
    }
}
