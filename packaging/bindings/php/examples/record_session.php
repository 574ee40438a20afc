<?php
// php record_session.php OUT: records the example session, writes its transaction Bundle to
// OUT/bundle.json, then makes a call the library refuses and writes its message to OUT/error.txt.
declare(strict_types=1);

require __DIR__ . '/../src/autoload.php';   // or Composer's vendor/autoload.php
require __DIR__ . '/record.php';

use Mfr\Context;
use Mfr\Input;
use Mfr\Library;
use Mfr\MfrException;

$out = $argv[1] ?? exit("usage: php record_session.php OUT\n");
$context = new Context('https://clinic.example/fhir/sessions');
$session = record_session($context);
$bundle = $context->export([$session]);
file_put_contents("$out/bundle.json", $bundle);
$info = $session->info();
echo "mfr-fhir ", Library::version(), ": {$info['id']} with {$info['findingCount']} findings, ",
    strlen($bundle), " bytes of Bundle\n";
$session->close();                          // or let it go out of scope

try {
    $context->import('{"resourceType": "Procedure", "status": }', Input::JSON);
} catch (MfrException $e) {
    file_put_contents("$out/error.txt", $e->getMessage());
    echo "refused as expected: ", $e->getStatusName(), "\n";
    $issue = json_decode($e->getOutcome(), true)['issue'][0];
    echo "  ", $issue['severity'], ": ", $issue['diagnostics'], "\n";
}
