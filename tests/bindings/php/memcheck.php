<?php
// php memcheck.php N: N export/free cycles of the example session; prints the resident set
// (kB) after a tenth of them (warm-up) and at the end, for bindings_test.py to compare.
declare(strict_types=1);

require __DIR__ . '/../../../packaging/bindings/php/src/autoload.php';
require __DIR__ . '/../../../packaging/bindings/php/examples/record.php';

function rss_kb(): int
{
    preg_match('~^VmRSS:\s+(\d+) kB~m', file_get_contents('/proc/self/status'), $m);
    return (int)$m[1];
}

$cycles = (int)($argv[1] ?? 10000);
$context = new Mfr\Context('https://clinic.example/fhir/sessions');
$bytes = 0;
for ($i = 1; $i <= $cycles; $i++) {
    $session = record_session($context);
    $bytes += strlen($context->export([$session]));
    $session->close();
    if ($i === intdiv($cycles, 10)) {
        $warm = rss_kb();
    }
}
echo "cycles $cycles bytes $bytes rss_warm_kb $warm rss_end_kb ", rss_kb(), "\n";
