<?php
// The binding's class constants are the header's enum values (read from the generated FFI
// header, so a value changed or appended in mfr.h shows up here).
declare(strict_types=1);

require __DIR__ . '/../../../packaging/bindings/php/src/autoload.php';

$prefixes = ['Status' => 'MFR_ERR_', 'Format' => 'MFR_FORMAT_', 'Input' => 'MFR_INPUT_', 'Strictness' => 'MFR_',
             'Side' => 'MFR_SIDE_', 'Release' => 'MFR_RELEASE_', 'NoteFormat' => 'MFR_NOTES_',
             'SessionStatus' => 'MFR_SESSION_', 'Region' => 'MFR_REGION_'];
$ffi = Mfr\Library::ffi();
$checked = 0;
foreach ($prefixes as $class => $prefix) {
    foreach ((new ReflectionClass("Mfr\\$class"))->getConstants() as $name => $value) {
        $c = $name === 'OK' ? 'MFR_OK' : ($class === 'Format' && in_array($name, ['COLLECTION', 'TRANSACTION'], true)
            ? "MFR_FORMAT_BUNDLE_$name" : $prefix . $name);
        if ($ffi->$c !== $value) {
            fwrite(STDERR, "Mfr\\$class::$name is $value, mfr.h's $c is {$ffi->$c}\n");
            exit(1);
        }
        $checked++;
    }
}
echo "$checked constants match mfr.h\n";
