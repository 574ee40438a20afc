<?php
declare(strict_types=1);

namespace Mfr;

/** mfr_input: how Context::import() and validate() read their text. */
final class Input
{
    public const AUTO = 0;
    public const JSON = 1;
    public const NDJSON = 2;
}
