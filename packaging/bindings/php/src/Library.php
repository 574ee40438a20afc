<?php
declare(strict_types=1);

namespace Mfr;

use FFI;
use FFI\CData;

/** The loaded library. Under opcache.preload (PHP-FPM, Apache) preload.php has declared the
 *  scope "mfr" and FFI::scope() finds it; on the command line the header is read with
 *  FFI::cdef(). Either way the library is MFR_FHIR_LIBRARY (a path) when set, else
 *  libmfr-fhir.so.1 from the system's library path. */
final class Library
{
    private static ?FFI $ffi = null;
    private static string $mode = '';

    public static function ffi(): FFI
    {
        return self::$ffi ??= self::load();
    }

    /** The library's version, e.g. "0.1.0". */
    public static function version(): string
    {
        return self::ffi()->mfr_version();
    }

    /** The library file to load: MFR_FHIR_LIBRARY, else the versioned soname (never the
     *  unversioned libmfr-fhir.so, which only a -dev package installs). */
    public static function path(): string
    {
        $path = getenv('MFR_FHIR_LIBRARY');
        return is_string($path) && $path !== '' ? $path : 'libmfr-fhir.so.1';
    }

    /** The generated header (tools/make-header.php): MFR_FHIR_FFI_HEADER, else build/mfr.ffi.h. */
    public static function headerPath(): string
    {
        $path = getenv('MFR_FHIR_FFI_HEADER');
        return is_string($path) && $path !== '' ? $path : dirname(__DIR__) . '/build/mfr.ffi.h';
    }

    /** The generated header with FFI_LIB set to path(), for FFI::cdef() or FFI::load(). */
    public static function header(): string
    {
        $header = @file_get_contents(self::headerPath());
        if ($header === false) {
            throw new \RuntimeException('mfr: cannot read the FFI header ' . self::headerPath()
                . ' (make it with: php tools/make-header.php /usr/include/mfr/mfr.h build/mfr.ffi.h)');
        }
        return preg_replace('~^#define FFI_LIB .*$~m', '#define FFI_LIB "' . addcslashes(self::path(), '"\\') . '"',
            $header, 1);
    }

    private static function load(): FFI
    {
        try {
            $ffi = FFI::scope('mfr');                    // declared by preload.php
            self::$mode = 'scope';
        } catch (FFI\Exception) {
            // FFI::cdef() takes no #define: the two FFI::load() reads go.
            $ffi = FFI::cdef(preg_replace('~^#define FFI_\w+ .*$~m', '', self::header()), self::path());
            self::$mode = 'cdef';
        }
        return $ffi;
    }

    /** How the library was loaded: "scope" (preloaded) or "cdef". */
    public static function mode(): string
    {
        self::ffi();
        return self::$mode;
    }

    /** Throws the MfrException of a failed call; mfr_last_error() is read right after the call,
     *  on this thread, before any other mfr_* call. */
    public static function check(int $status, ?string $outcome = null): void
    {
        if ($status !== 0) {
            throw new MfrException($status, self::ffi()->mfr_last_error(), $outcome);
        }
    }

    /** A NUL-terminated copy of $text in C memory, owned by the returned CData (keep it in a
     *  variable for as long as C may read it). PHP strings are bytes: pass UTF-8. */
    public static function cString(string $text): CData
    {
        $buffer = self::ffi()->new('char[' . (strlen($text) + 1) . ']');  // zero-filled: the NUL
        FFI::memcpy($buffer, $text, strlen($text));
        return $buffer;
    }

    /** $buffer as `const char *`, for struct fields; null stays NULL. */
    public static function pointer(?CData $buffer): ?CData
    {
        return $buffer === null ? null : self::ffi()->cast('const char *', FFI::addr($buffer[0]));
    }

    /** Copies a buffer the library returned into a PHP string and frees it (mfr_free()). */
    public static function take(CData $buffer, ?CData $length = null): string
    {
        try {
            return $length === null ? FFI::string($buffer) : FFI::string($buffer, $length->cdata);
        } finally {
            self::ffi()->mfr_free($buffer);
        }
    }

    /** Runs $call(char **out, size_t *len) and returns the buffer as a PHP string. */
    public static function text(callable $call): string
    {
        $ffi = self::ffi();
        $buffer = $ffi->new('char *');
        $length = $ffi->new('size_t');
        self::check($call(FFI::addr($buffer), FFI::addr($length)));
        return self::take($buffer, $length);
    }
}
