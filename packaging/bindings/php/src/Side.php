<?php
declare(strict_types=1);

namespace Mfr;

/** mfr_side of a finding. */
final class Side
{
    public const LEFT = 0;
    public const RIGHT = 1;
    public const MIDLINE = 2;
    public const BILATERAL = 3;
}
