<?php
declare(strict_types=1);

namespace Mfr;

/** mfr_release: what kneading did. */
final class Release
{
    public const UNKNOWN = 0;
    public const RELEASED = 1;
    public const PARTIAL = 2;
    public const NOT_RELEASED = 3;
}
