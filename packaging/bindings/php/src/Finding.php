<?php
declare(strict_types=1);

namespace Mfr;

/** One finding at one site and side, as Session::addFinding() takes it. Null means "not
 *  recorded". Make one with vertebra(), region() or regionText(), then set what was found. */
final class Finding
{
    public ?int $level = null;          // mfr_level, for a vertebra
    public ?int $region = null;         // Region::..., for a region
    public ?string $regionText = null;  // the words, for Region::OTHER
    public ?int $restriction = null;    // 0 none, 1 mild, 2 moderate, 3 marked
    public ?int $pain = null;           // NRS 0..10
    public ?string $vasMm = null;       // VAS in mm as decimal text, "42.5"
    public ?bool $tender = null;
    public int $released = Release::UNKNOWN;
    public ?string $note = null;
    public int $status = 0;             // MFR_FINDING_FINAL

    private function __construct(public int $side)
    {
    }

    /** At a vertebral level: "C1".."C7", "T1".."T12", "L1".."L5" or "sacrum". */
    public static function vertebra(string $level, int $side): self
    {
        $finding = new self($side);
        $finding->level = self::levelNumber($level);
        return $finding;
    }

    public static function region(int $region, int $side): self
    {
        $finding = new self($side);
        $finding->region = $region;
        return $finding;
    }

    /** Off the named regions, in words ("hip flexors"). */
    public static function regionText(string $words, int $side): self
    {
        $finding = self::region(Region::OTHER, $side);
        $finding->regionText = $words;
        return $finding;
    }

    public function restriction(int $grade): self { $this->restriction = $grade; return $this; }
    public function pain(int $nrs): self { $this->pain = $nrs; return $this; }
    public function vasMm(string $mm): self { $this->vasMm = $mm; return $this; }
    public function tender(bool $tender): self { $this->tender = $tender; return $this; }
    public function released(int $release): self { $this->released = $release; return $this; }
    public function note(string $note): self { $this->note = $note; return $this; }

    /** mfr_level's number of "T4" (fixed in mfr.h: C1 = 0, T1 = 7, L1 = 19, sacrum = 24). */
    private static function levelNumber(string $level): int
    {
        if (strcasecmp($level, 'sacrum') === 0) {
            return 24;
        }
        $first = ['C' => [0, 7], 'T' => [7, 12], 'L' => [19, 5]];
        $letter = strtoupper($level[0] ?? '');
        $n = (int)substr($level, 1);
        if (!isset($first[$letter]) || (string)$n !== substr($level, 1) || $n < 1 || $n > $first[$letter][1]) {
            throw new \InvalidArgumentException("mfr: \"$level\" is not a vertebral level (C1-C7, T1-T12, L1-L5, sacrum)");
        }
        return $first[$letter][0] + $n - 1;
    }
}
