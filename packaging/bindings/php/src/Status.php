<?php
declare(strict_types=1);

namespace Mfr;

/** mfr_status: MfrException::getStatus(). */
final class Status
{
    public const OK = 0;
    public const INVALID_ARGUMENT = 1;
    public const INVALID_HANDLE = 2;
    public const PARSE = 3;
    public const INVALID_DATA = 4;
    public const NOT_FOUND = 5;
    public const NO_MEMORY = 6;
    public const IO = 7;
    public const CANCELLED = 8;
    public const ABI_MISMATCH = 9;
    public const UNSUPPORTED = 10;
    public const INTERNAL = 11;
    public const NETWORK = 12;
    public const TLS = 13;
    public const TIMEOUT = 14;
    public const REFUSED = 15;
    public const AUTH = 16;
}
