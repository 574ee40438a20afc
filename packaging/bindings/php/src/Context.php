<?php
declare(strict_types=1);

namespace Mfr;

use FFI;
use FFI\CData;

/** mfr_context: the clinic's configuration, and the unit of thread ownership (one request at a
 *  time). Closed by close() or when the object goes. */
final class Context
{
    private ?CData $handle;

    /** @param string $identifierSystem the clinic's identifier system URI, e.g.
     *  "https://clinic.example/fhir/sessions" */
    public function __construct(string $identifierSystem)
    {
        $ffi = Library::ffi();
        $system = Library::cString($identifierSystem);
        $options = $ffi->new('mfr_context_options');   // zero-filled: no log callback
        $options->struct_size = FFI::sizeof($options);
        $options->identifier_system = Library::pointer($system);
        $options->log_level = $ffi->MFR_LOG_WARNING;
        $handle = $ffi->new('mfr_context *');
        Library::check($ffi->mfr_context_open(FFI::addr($handle), FFI::addr($options)));
        $this->handle = $handle;
    }

    public function close(): void
    {
        if ($this->handle !== null) {
            Library::ffi()->mfr_context_close($this->handle);
            $this->handle = null;
        }
    }

    public function __destruct()
    {
        $this->close();
    }

    /** The C handle; NULL once closed, which the library refuses with MFR_ERR_INVALID_HANDLE. */
    public function handle(): ?CData
    {
        return $this->handle;
    }

    /** A new empty session with business key $id. */
    public function newSession(string $id): Session
    {
        $ffi = Library::ffi();
        $session = $ffi->new('mfr_session *');
        Library::check($ffi->mfr_session_new(FFI::addr($session), $this->handle, $id));
        return new Session($session);
    }

    /** A session from session JSON (mfr.h, mfr_session_from_json()); MfrException with the
     *  OperationOutcome when it is malformed or invalid. */
    public function sessionFromJson(string $json): Session
    {
        $ffi = Library::ffi();
        $session = $ffi->new('mfr_session *');
        $outcome = $ffi->new('char *');
        $status = $ffi->mfr_session_from_json(FFI::addr($session), FFI::addr($outcome), $this->handle, $json,
            strlen($json));
        if ($status !== 0) {
            $message = $ffi->mfr_last_error();      // before mfr_free() clears it
            throw new MfrException($status, $message, FFI::isNull($outcome) ? null : Library::take($outcome));
        }
        return new Session($session);
    }

    /** FHIR R4 JSON of $sessions in $format (Format::TRANSACTION, ...). @param Session[] $sessions */
    public function export(array $sessions, int $format = Format::TRANSACTION): string
    {
        $ffi = Library::ffi();
        $handles = $ffi->new('mfr_session *[' . max(1, count($sessions)) . ']');
        foreach (array_values($sessions) as $i => $session) {
            $handles[$i] = $session->handle();
        }
        $ctx = $this->handle;
        return Library::text(static fn(CData $out, CData $len): int =>
            $ffi->mfr_export($out, $len, $ctx, $ffi->cast('const mfr_session *const *', $handles), count($sessions),
                $format));
    }

    /** Imports FHIR JSON (a resource, a Bundle, NDJSON). A partly rejected import is returned,
     *  not thrown: the accepted sessions are in it and outcome() says what was rejected. Text
     *  that is not JSON at all throws, with the OperationOutcome (line and column). */
    public function import(string $data, int $input = Input::AUTO): ImportResult
    {
        $ffi = Library::ffi();
        $result = $ffi->new('mfr_import_result *');
        $status = $ffi->mfr_import(FFI::addr($result), $this->handle, $data, strlen($data), $input);
        if ($status === 0 || $status === $ffi->MFR_ERR_INVALID_DATA) {
            return new ImportResult($result);
        }
        $error = new MfrException($status, $ffi->mfr_last_error());
        if ($status === $ffi->MFR_ERR_PARSE) {
            $result = new ImportResult($result);
            $error = new MfrException($status, $error->getMessage(), $result->outcome());
            $result->close();
        }
        throw $error;
    }

    /** Validates FHIR R4 JSON; returns the OperationOutcome (warnings) when it has no errors,
     *  throws MfrException carrying it when it has. */
    public function validate(string $data, int $input = Input::AUTO, int $strictness = Strictness::STRICT): string
    {
        $ffi = Library::ffi();
        $outcome = $ffi->new('char *');
        $length = $ffi->new('size_t');
        $status = $ffi->mfr_validate(FFI::addr($outcome), FFI::addr($length), $this->handle, $data, strlen($data),
            $input, $strictness);
        $message = $ffi->mfr_last_error();
        $text = FFI::isNull($outcome) ? null : Library::take($outcome, $length);
        if ($status !== 0) {
            throw new MfrException($status, $message, $text);
        }
        return $text;
    }

    /** A batch import of legacy notes; see Batch for the options. */
    public function batch(array $options = []): Batch
    {
        return new Batch($this, $options);
    }
}
