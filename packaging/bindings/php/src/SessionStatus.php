<?php
declare(strict_types=1);

namespace Mfr;

/** mfr_session_status (FHIR Procedure.status). */
final class SessionStatus
{
    public const COMPLETED = 0;
    public const IN_PROGRESS = 1;
    public const NOT_DONE = 2;
    public const ENTERED_IN_ERROR = 3;
    public const PREPARATION = 4;
    public const ON_HOLD = 5;
    public const STOPPED = 6;
    public const UNKNOWN = 7;
}
