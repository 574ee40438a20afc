using System;
using System.Text;

namespace MfrFhir
{
    /// <summary>mfr_batch_options; null texts are NULL.</summary>
    public sealed class BatchOptions
    {
        public int Format = NoteFormat.Text;
        public string OutDir;          // null: results stay in memory for TakeResult()
        public int Threads;
        public bool MonthFirst, Restart;
        public string IdNamespace, DefaultPatient, PatientSystem, CsvColumns;
        public char CsvDelimiter;
    }

    /// <summary>mfr_batch: legacy notes (text, CSV, HL7 v2) to FHIR, every note accounted for. Dispose it.</summary>
    public sealed class Batch : IDisposable
    {
        private readonly BatchHandle handle;

        internal Batch(Context context, BatchOptions options)
        {
            var o = new Structs.BatchOptions();
            o.struct_size = Structs.SizeOf<Structs.BatchOptions>();
            o.format = options.Format;
            o.threads = options.Threads;
            o.month_first = options.MonthFirst ? 1 : 0;
            o.restart = options.Restart ? 1 : 0;
            o.csv_delimiter = (byte)options.CsvDelimiter;
            o.out_dir = Native.Utf8Memory(options.OutDir);
            o.id_namespace = Native.Utf8Memory(options.IdNamespace);
            o.default_patient = Native.Utf8Memory(options.DefaultPatient);
            o.patient_system = Native.Utf8Memory(options.PatientSystem);
            o.csv_columns = Native.Utf8Memory(options.CsvColumns);
            try
            {
                IntPtr batch;
                Native.Check(Native.mfr_batch_new(out batch, context.Raw, ref o));
                handle = new BatchHandle(batch);
            }
            finally
            {
                foreach (IntPtr text in new[] { o.out_dir, o.id_namespace, o.default_patient, o.patient_system, o.csv_columns })
                    Native.FreeText(text);
            }
        }

        public void Dispose() { handle.Dispose(); }

        public Batch AddFile(string path)
        {
            Native.Check(Native.mfr_batch_add_file(handle.Raw, Native.Utf8(path)));
            return this;
        }

        /// <summary>One note handed over by the EMR; origin names it in the report (no patient data).</summary>
        public Batch AddNote(string text, string origin, string patient, string date, string id)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            Native.Check(Native.mfr_batch_add_note(handle.Raw, bytes, (UIntPtr)bytes.Length, Native.Utf8(origin),
                Native.Utf8(patient), Native.Utf8(date), Native.Utf8(id)));
            return this;
        }

        /// <summary>Runs the batch; the final counts: notes, imported, importedWithWarnings, quarantined, findings.</summary>
        public ulong[] Run()
        {
            var p = new Structs.BatchProgress();
            p.struct_size = Structs.SizeOf<Structs.BatchProgress>();
            Native.Check(Native.mfr_batch_execute(ref p, handle.Raw));
            return new[] { p.notes, p.imported, p.imported_with_warnings, p.quarantined, p.findings };
        }

        /// <summary>After a run without OutDir: the sessions, and the per-note report as its Outcome().</summary>
        public ImportResult TakeResult()
        {
            IntPtr result;
            Native.Check(Native.mfr_batch_take_result(out result, handle.Raw));
            return new ImportResult(result);
        }
    }
}
