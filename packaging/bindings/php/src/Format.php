<?php
declare(strict_types=1);

namespace Mfr;

/** mfr_format: what Context::export() writes. */
final class Format
{
    public const COLLECTION = 1;
    public const TRANSACTION = 2;
    public const NDJSON = 3;
    public const NDJSON_PROCEDURES = 4;
    public const NDJSON_OBSERVATIONS = 5;
    public const NDJSON_DOCUMENTS = 6;
}
