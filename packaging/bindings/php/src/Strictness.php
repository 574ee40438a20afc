<?php
declare(strict_types=1);

namespace Mfr;

/** mfr_strictness of Context::validate(). */
final class Strictness
{
    public const STRICT = 0;
    public const LENIENT = 1;
}
