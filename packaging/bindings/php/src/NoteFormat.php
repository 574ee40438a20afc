<?php
declare(strict_types=1);

namespace Mfr;

/** mfr_note_format of a Batch. */
final class NoteFormat
{
    public const TEXT = 1;
    public const CSV = 2;
    public const HL7V2 = 3;
}
