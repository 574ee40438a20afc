<?php
declare(strict_types=1);

namespace Mfr;

use FFI;
use FFI\CData;

/** mfr_import_result: the sessions an import assembled and its issues. Freed by close() or
 *  when the object goes. */
final class ImportResult
{
    /** @internal made by Context::import() and Batch::takeResult() */
    public function __construct(private ?CData $handle)
    {
    }

    public function close(): void
    {
        if ($this->handle !== null) {
            Library::ffi()->mfr_import_result_free($this->handle);
            $this->handle = null;
        }
    }

    public function __destruct()
    {
        $this->close();
    }

    /** resources, rejected, sessions, errors, warnings. */
    public function counts(): array
    {
        $ffi = Library::ffi();
        $counts = $ffi->new('mfr_import_counts');
        $counts->struct_size = FFI::sizeof($counts);
        Library::check($ffi->mfr_import_result_counts_get(FFI::addr($counts), $this->handle));
        return ['resources' => $counts->resources, 'rejected' => $counts->rejected, 'sessions' => $counts->sessions,
                'errors' => $counts->errors, 'warnings' => $counts->warnings];
    }

    /** Session $index as a copy the caller owns (it outlives this result). */
    public function session(int $index): Session
    {
        $ffi = Library::ffi();
        $borrowed = $ffi->new('const mfr_session *');
        Library::check($ffi->mfr_import_result_session(FFI::addr($borrowed), $this->handle, $index));
        $copy = $ffi->new('mfr_session *');
        Library::check($ffi->mfr_session_clone(FFI::addr($copy), $borrowed));
        return new Session($copy);
    }

    /** The import's issues as an OperationOutcome JSON. */
    public function outcome(): string
    {
        $ffi = Library::ffi();
        $handle = $this->handle;
        return Library::text(static fn(CData $out, CData $len): int =>
            $ffi->mfr_import_result_outcome($out, $len, $handle));
    }
}
