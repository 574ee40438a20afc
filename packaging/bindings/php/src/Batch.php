<?php
declare(strict_types=1);

namespace Mfr;

use FFI;
use FFI\CData;

/** mfr_batch: legacy notes (text, CSV, HL7 v2) to FHIR, every note accounted for. Freed by
 *  close() or when the object goes. */
final class Batch
{
    private ?CData $handle;

    /** Options (all optional): format (NoteFormat::TEXT), outDir (null: keep the results in
     *  memory for takeResult()), threads, monthFirst, idNamespace, defaultPatient,
     *  patientSystem, csvColumns, csvDelimiter, restart. */
    public function __construct(Context $context, array $options = [])
    {
        $known = ['format', 'outDir', 'threads', 'monthFirst', 'idNamespace', 'defaultPatient', 'patientSystem',
                  'csvColumns', 'csvDelimiter', 'restart'];
        if ($unknown = array_diff(array_keys($options), $known)) {
            throw new \InvalidArgumentException('mfr: unknown batch option ' . implode(', ', $unknown));
        }
        $ffi = Library::ffi();
        $o = $ffi->new('mfr_batch_options');
        $o->struct_size = FFI::sizeof($o);
        $o->format = $options['format'] ?? NoteFormat::TEXT;
        $o->threads = $options['threads'] ?? 0;
        $o->month_first = (int)($options['monthFirst'] ?? false);
        $o->restart = (int)($options['restart'] ?? false);
        $o->csv_delimiter = $options['csvDelimiter'] ?? "\0";
        $texts = [];                                   // copied by mfr_batch_new()
        foreach (['out_dir' => 'outDir', 'id_namespace' => 'idNamespace', 'default_patient' => 'defaultPatient',
                  'patient_system' => 'patientSystem', 'csv_columns' => 'csvColumns'] as $field => $key) {
            if (isset($options[$key])) {
                $texts[$field] = Library::cString($options[$key]);
                $o->{$field} = Library::pointer($texts[$field]);
            }
        }
        $handle = $ffi->new('mfr_batch *');
        Library::check($ffi->mfr_batch_new(FFI::addr($handle), $context->handle(), FFI::addr($o)));
        $this->handle = $handle;
    }

    public function close(): void
    {
        if ($this->handle !== null) {
            Library::ffi()->mfr_batch_free($this->handle);
            $this->handle = null;
        }
    }

    public function __destruct()
    {
        $this->close();
    }

    public function addFile(string $path): self
    {
        Library::check(Library::ffi()->mfr_batch_add_file($this->handle, $path));
        return $this;
    }

    /** One note handed over by the EMR; $origin names it in the report (no patient data). */
    public function addNote(string $text, string $origin, ?string $patient = null, ?string $date = null,
                            ?string $id = null): self
    {
        Library::check(Library::ffi()->mfr_batch_add_note($this->handle, $text, strlen($text), $origin, $patient,
            $date, $id));
        return $this;
    }

    /** Runs the batch; returns the final counts: notes, imported, importedWithWarnings,
     *  quarantined, findings. */
    public function run(): array
    {
        $ffi = Library::ffi();
        $p = $ffi->new('mfr_batch_progress');
        $p->struct_size = FFI::sizeof($p);
        Library::check($ffi->mfr_batch_execute(FFI::addr($p), $this->handle));
        return ['notes' => $p->notes, 'imported' => $p->imported, 'importedWithWarnings' => $p->imported_with_warnings,
                'quarantined' => $p->quarantined, 'findings' => $p->findings];
    }

    /** After a run without outDir: the sessions, and the per-note report as its outcome(). */
    public function takeResult(): ImportResult
    {
        $ffi = Library::ffi();
        $result = $ffi->new('mfr_import_result *');
        Library::check($ffi->mfr_batch_take_result(FFI::addr($result), $this->handle));
        return new ImportResult($result);
    }
}
