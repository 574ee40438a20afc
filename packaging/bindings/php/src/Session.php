<?php
declare(strict_types=1);

namespace Mfr;

use FFI;
use FFI\CData;

/** mfr_session: one treatment visit and its findings. Freed by close() or when the object goes. */
final class Session
{
    /** @internal made by Context and ImportResult */
    public function __construct(private ?CData $handle)
    {
    }

    public function close(): void
    {
        if ($this->handle !== null) {
            Library::ffi()->mfr_session_free($this->handle);
            $this->handle = null;
        }
    }

    public function __destruct()
    {
        $this->close();
    }

    /** The C handle; NULL once closed, which the library refuses with MFR_ERR_INVALID_HANDLE. */
    public function handle(): ?CData
    {
        return $this->handle;
    }

    /** "Patient/{id}", or "Patient?identifier={system}|{value}" for transactions. */
    public function setPatient(string $reference): self
    {
        Library::check(Library::ffi()->mfr_session_set_patient($this->handle, $reference));
        return $this;
    }

    public function setPractitioner(?string $reference): self
    {
        Library::check(Library::ffi()->mfr_session_set_practitioner($this->handle, $reference));
        return $this;
    }

    public function setEncounter(?string $reference): self
    {
        Library::check(Library::ffi()->mfr_session_set_encounter($this->handle, $reference));
        return $this;
    }

    /** FHIR dateTime text, e.g. "2019-03-04T10:30:00+01:00"; $end may be null. */
    public function setPeriod(string $start, ?string $end = null): self
    {
        Library::check(Library::ffi()->mfr_session_set_period($this->handle, $start, $end));
        return $this;
    }

    /** SessionStatus::COMPLETED, ... */
    public function setStatus(int $status): self
    {
        Library::check(Library::ffi()->mfr_session_set_status($this->handle, $status));
        return $this;
    }

    /** A treated region (Region::THORACIC_SPINE, ...). */
    public function addRegion(int $region): self
    {
        Library::check(Library::ffi()->mfr_session_add_region($this->handle, $region));
        return $this;
    }

    public function setNote(?string $note): self
    {
        Library::check(Library::ffi()->mfr_session_set_note($this->handle, $note));
        return $this;
    }

    /** Session $number of $planned in a course (0: not known). */
    public function setCourse(int $number, int $planned): self
    {
        Library::check(Library::ffi()->mfr_session_set_course($this->handle, $number, $planned));
        return $this;
    }

    public function addFinding(Finding $finding): self
    {
        $ffi = Library::ffi();
        $f = $ffi->new('mfr_finding');
        $f->struct_size = FFI::sizeof($f);
        $f->site_kind = $finding->region === null ? $ffi->MFR_SITE_VERTEBRA : $ffi->MFR_SITE_REGION;
        $f->level = $finding->level ?? 0;
        $f->region = $finding->region ?? $ffi->MFR_REGION_OTHER;
        $f->side = $finding->side;
        $f->restriction = $finding->restriction ?? -1;
        $f->pain_nrs = $finding->pain ?? -1;
        $f->tender = $finding->tender === null ? -1 : (int)$finding->tender;
        $f->released = $finding->released;
        $f->status = $finding->status;
        // The texts' C copies live until the call returns (the library copies them).
        $texts = [];
        foreach (['region_text' => $finding->regionText, 'pain_vas_mm' => $finding->vasMm,
                  'note' => $finding->note] as $field => $value) {
            if ($value !== null) {
                $texts[$field] = Library::cString($value);
                $f->{$field} = Library::pointer($texts[$field]);
            }
        }
        Library::check($ffi->mfr_session_add_finding($this->handle, FFI::addr($f)));
        return $this;
    }

    /** What the session holds: id, patient, practitioner, encounter, start, end, status, note,
     *  sessionNumber, plannedSessions, regionCount, findingCount, sourceText, fhirId (copies). */
    public function info(): array
    {
        $ffi = Library::ffi();
        $info = $ffi->new('mfr_session_info');
        $info->struct_size = FFI::sizeof($info);
        Library::check($ffi->mfr_session_info_get(FFI::addr($info), $this->handle));
        return [
            'id' => $info->id, 'patient' => $info->patient, 'practitioner' => $info->practitioner,
            'encounter' => $info->encounter, 'start' => $info->start, 'end' => $info->end,
            'status' => $info->status, 'note' => $info->note, 'sessionNumber' => $info->session_number,
            'plannedSessions' => $info->planned_sessions, 'regionCount' => $info->region_count,
            'findingCount' => $info->finding_count, 'sourceText' => $info->source_text, 'fhirId' => $info->fhir_id,
        ];
    }

    /** The session as session JSON. */
    public function toJson(): string
    {
        $ffi = Library::ffi();
        $handle = $this->handle;
        return Library::text(static fn(CData $out, CData $len): int => $ffi->mfr_session_to_json($out, $len, $handle));
    }

    /** The session's spine map as SVG. $language "en", "fr" or "de"; $widthPx 0 for the default. */
    public function chart(?string $language = null, int $widthPx = 0): string
    {
        $ffi = Library::ffi();
        $options = $ffi->new('mfr_chart_options');
        $options->struct_size = FFI::sizeof($options);
        $options->width_px = $widthPx;
        $languageText = $language === null ? null : Library::cString($language);
        $options->language = Library::pointer($languageText);
        $handle = $this->handle;
        return Library::text(static fn(CData $out, CData $len): int =>
            $ffi->mfr_chart_session($out, $len, $handle, FFI::addr($options)));
    }

    /** A copy the caller owns. */
    public function copy(): Session
    {
        $ffi = Library::ffi();
        $copy = $ffi->new('mfr_session *');
        Library::check($ffi->mfr_session_clone(FFI::addr($copy), $this->handle));
        return new Session($copy);
    }
}
