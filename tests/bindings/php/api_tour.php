<?php
// The rest of the binding's API against the library, each answer checked: chart, validate,
// import and its sessions, invalid session JSON, a batch of notes, a closed handle.
declare(strict_types=1);

require __DIR__ . '/../../../packaging/bindings/php/src/autoload.php';
require __DIR__ . '/../../../packaging/bindings/php/examples/record.php';

use Mfr\{Context, MfrException, NoteFormat, Status};

function expect(bool $ok, string $what): void
{
    if (!$ok) {
        fwrite(STDERR, "FAIL: $what\n");
        exit(1);
    }
    echo "ok: $what\n";
}

function refused(callable $call): MfrException
{
    try {
        $call();
    } catch (MfrException $e) {
        return $e;
    }
    fwrite(STDERR, "FAIL: the call was not refused\n");
    exit(1);
}

$context = new Context('https://clinic.example/fhir/sessions');
$session = record_session($context);
$svg = $session->chart('fr');
expect(str_contains($svg, '<svg') && str_contains($svg, 'data-level="T6"'), 'chart draws T6');
$bundle = $context->export([$session]);
expect(str_contains($context->validate($bundle), '"OperationOutcome"'), 'our Bundle validates');
$e = refused(fn() => $context->validate('{"resourceType":"Observation","status":"done","code":{"text":"x"}}'));
expect($e->getStatus() === Status::INVALID_DATA && str_contains($e->getOutcome(), 'Observation.status'),
    'an invalid Observation is refused with its expression');
$result = $context->import($bundle);
expect($result->counts()['sessions'] === 1 && $result->counts()['rejected'] === 0, 'the Bundle imports as 1 session');
$back = $result->session(0);
$result->close();
expect($back->info()['note'] === 'Séance 1 : épaule droite' && $back->info()['findingCount'] === 4,
    'the imported copy outlives its result, note and findings intact');
$e = refused(fn() => $context->sessionFromJson(
    '{"id":"S-9","patient":"Patient/1","start":"2019-03-04","findings":[{"site":"T4","pain":12}]}'));
expect($e->getStatus() === Status::INVALID_DATA && str_contains($e->getOutcome(), 'findings[0].pain'),
    'invalid session JSON names findings[0].pain');
$batch = $context->batch(['format' => NoteFormat::TEXT, 'defaultPatient' => 'Patient/1']);
$batch->addNote("04/03/2019 T4 left marked restriction, pain 7/10, tender. Épaule droite libérée.", 'emr-1');
$counts = $batch->run();
expect($counts['notes'] === 1 && $counts['quarantined'] === 0, 'a batch of one note imports it');
expect($batch->takeResult()->counts()['sessions'] === 1, 'the batch result holds its session');
$session->close();
$e = refused(fn() => $session->toJson());
expect($e->getStatus() === Status::INVALID_HANDLE && str_contains($e->getMessage(), 'NULL'),
    'a closed session is refused by the library: ' . $e->getMessage());
