<?php
// opcache.preload script for PHP-FPM and Apache, where ffi.enable=preload (PHP's default)
// allows FFI only in preloaded code. ffi.preload declares the scope "mfr" from the generated
// header (its FFI_LIB names the library) and this script preloads the Mfr\ classes, which
// then find the library with FFI::scope("mfr"). FFI::load() here would not do: PHP refuses it
// together with opcache.preload_user, which preloading as root requires.
//   php.ini:  ffi.enable=preload  ffi.preload=/path/to/build/mfr.ffi.h
//             opcache.enable=1  opcache.preload=/path/to/preload.php  opcache.preload_user=www-data
declare(strict_types=1);

foreach (glob(__DIR__ . '/src/*.php') as $file) {
    if (basename($file) !== 'autoload.php') {
        opcache_compile_file($file);
    }
}
