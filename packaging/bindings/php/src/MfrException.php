<?php
declare(strict_types=1);

namespace Mfr;

/** A call the library refused: its status, its sentence (mfr_last_error()) and, for invalid
 *  data or malformed JSON, the OperationOutcome JSON saying what and where. */
final class MfrException extends \RuntimeException
{
    public function __construct(private int $status, string $message, private ?string $outcome = null)
    {
        parent::__construct($message, $status);
    }

    /** The mfr_status number (Status::PARSE, ...). */
    public function getStatus(): int
    {
        return $this->status;
    }

    /** The status's fixed English name, e.g. "MFR_ERR_PARSE: malformed JSON". */
    public function getStatusName(): string
    {
        return Library::ffi()->mfr_status_str($this->status);
    }

    /** The OperationOutcome JSON, or null when the call gives none. */
    public function getOutcome(): ?string
    {
        return $this->outcome;
    }
}
