<?php
// A web request (PHP-FPM, Apache or `php -S`, with preload.php preloaded): records the example
// session and answers its transaction Bundle; ?refuse=1 answers the message of a refused call.
declare(strict_types=1);

require_once __DIR__ . "/../../src/autoload.php"; // a no-op for the preloaded classes
require_once __DIR__ . "/../record.php";

use Mfr\Context;
use Mfr\Input;
use Mfr\Library;
use Mfr\MfrException;

header('X-Mfr-FFI: ' . Library::mode());    // "scope": the FFI preload.php declared
$context = new Context('https://clinic.example/fhir/sessions');
try {
    if (isset($_GET['refuse'])) {
        $context->import('{"resourceType": "Procedure", "status": }', Input::JSON);
    }
    $bundle = $context->export([record_session($context)]);
    header('Content-Type: application/fhir+json; charset=utf-8');
    echo $bundle;
} catch (MfrException $e) {
    http_response_code($e->getStatus() === Mfr\Status::PARSE ? 400 : 500);
    header('Content-Type: text/plain; charset=utf-8');
    echo $e->getMessage();
}
