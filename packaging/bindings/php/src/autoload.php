<?php
// PSR-4 autoloading of Mfr\ without Composer (Composer's vendor/autoload.php does the same).
spl_autoload_register(static function (string $class): void {
    if (strncmp($class, 'Mfr\\', 4) === 0) {
        $file = __DIR__ . '/' . str_replace('\\', '/', substr($class, 4)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
