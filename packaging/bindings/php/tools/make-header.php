<?php
// Makes the header PHP's FFI reads from include/mfr/mfr.h, at build time: FFI parses C
// declarations but no preprocessor, so comments, #include/#if/#define lines, the C++ guard and
// MFR_API go, and the two defines FFI::load() reads (FFI_SCOPE, FFI_LIB) are put first.
//
//   php tools/make-header.php /usr/include/mfr/mfr.h build/mfr.ffi.h [libmfr-fhir.so.1]
declare(strict_types=1);

if ($argc < 3) {
    fwrite(STDERR, "usage: make-header.php MFR_H OUT [FFI_LIB]\n");
    exit(2);
}
[, $in, $out] = $argv;
$lib = $argv[3] ?? 'libmfr-fhir.so.1';
$text = @file_get_contents($in);
if ($text === false) {
    fwrite(STDERR, "make-header.php: cannot read $in\n");
    exit(1);
}

$text = preg_replace('~/\*.*?\*/~s', '', $text);      // block comments (none nest in C)
$text = preg_replace('~//[^\n]*~', '', $text);
$text = preg_replace('~\\\\\n~', ' ', $text);         // join continued macro lines

$kept = [];
$skipDepth = 0;                                       // inside #ifdef __cplusplus ... #endif
$depth = 0;
foreach (explode("\n", $text) as $line) {
    $directive = preg_match('~^\s*#\s*(\w+)~', $line, $m) ? $m[1] : null;
    if ($directive !== null) {
        if (in_array($directive, ['if', 'ifdef', 'ifndef'], true)) {
            $depth++;
            if ($skipDepth === 0 && preg_match('~__cplusplus~', $line)) {
                $skipDepth = $depth;
            }
        } elseif ($directive === 'endif') {
            if ($skipDepth === $depth) {
                $skipDepth = 0;
            }
            $depth--;
        }
        continue;                                     // every directive goes
    }
    if ($skipDepth === 0) {
        $kept[] = $line;
    }
}
$body = preg_replace('~\bMFR_API\s+~', '', implode("\n", $kept));
// Attribute macros (a deprecation mark, say) and GNU attributes: FFI needs neither.
$body = preg_replace('~\bMFR_\w*DEPRECATED\w*(\s*\((?:[^()"]|"(?:[^"\\\\]|\\\\.)*")*\))?\s*~', '', $body);
$body = preg_replace('~__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)\s*~', '', $body);
$body = preg_replace("~[ \t]+\n~", "\n", $body);         // spaces the comments left
$body = preg_replace("~\n\s*\n+~", "\n", $body);      // and blank runs

// FFI::load() and ffi.preload read the two defines only as the file's first lines.
$header = "#define FFI_SCOPE \"mfr\"\n"
    . "#define FFI_LIB \"" . addcslashes($lib, "\"\\") . "\"\n"
    . "/* Generated from " . basename($in) . " by make-header.php: do not edit. */\n"
    . trim($body) . "\n";
if (@file_put_contents($out, $header) === false) {
    fwrite(STDERR, "make-header.php: cannot write $out\n");
    exit(1);
}
