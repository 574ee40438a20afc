<?php
declare(strict_types=1);

namespace Mfr;

/** mfr_region: treated regions and the sites of findings off the spine. */
final class Region
{
    public const SPINE = 0;
    public const CERVICAL_SPINE = 1;
    public const THORACIC_SPINE = 2;
    public const LUMBAR_SPINE = 3;
    public const SACRUM = 4;
    public const UPPER_TRAPEZIUS = 5;
    public const RIB_CAGE = 6;
    public const CHEST_WALL = 7;
    public const INTERSCAPULAR = 8;
    public const SCAPULAR = 9;
    public const SKIN_OF_BACK = 10;
    public const LUMBAR_REGION = 11;
    public const NECK = 12;
    public const SHOULDER = 13;
    public const OTHER = 14;
}
