/*
 * mfr.h — the C ABI of mfr-fhir, the whole plugin contract.
 *
 * mfr-fhir records myofascial-release ("skin rolling") treatment sessions and turns them into
 * HL7 FHIR R4 Procedure + Observation resources and back. A host (an EMR) loads
 * libmfr-fhir.so.1 either by linking it or with dlopen() and mfr_plugin_entry().
 *
 * Conventions (they hold for every function below unless its comment says otherwise):
 *  - Every function returns mfr_status. On failure, mfr_last_error() gives a sentence that says
 *    what went wrong and where. No C++ exception, abort() or exit() ever crosses this boundary.
 *  - Out-parameters come first; they are written only on success (MFR_OK), except where a
 *    function says it also writes them on a listed failure status. Order: out-parameters, then
 *    the object, then inputs, then a callback and its user_data. A read into a struct or value is
 *    named mfr_<object>_<what>_get(out, object[, index]) where the plain name is taken (by the
 *    struct's typedef or by a first-release function). Five first-release functions took their
 *    out-parameter last (mfr_session_get_info, mfr_session_get_finding, mfr_session_get_region,
 *    mfr_import_result_counts, mfr_batch_run): each has an out-first twin (mfr_session_info_get,
 *    mfr_session_finding_get, mfr_session_region_get, mfr_import_result_counts_get,
 *    mfr_batch_execute) and stays, exported and in the table, as a deprecated alias (MFR_DEPRECATED).
 *  - Handles (mfr_context, mfr_session, mfr_import_result, mfr_validation, ...) are opaque. A
 *    NULL, freed or foreign handle gives MFR_ERR_INVALID_HANDLE, never a crash. Destructors
 *    accept NULL.
 *  - Memory: buffers the library returns (char **out) are the caller's and are freed with
 *    mfr_free(). Strings inside structs the library fills are borrowed: each says until when
 *    it stays valid. The library never frees what the host allocated.
 *  - Structs start with uint32_t struct_size: set it to sizeof(the struct) as your header
 *    knows it (use the *_INIT macros). Fields are only ever appended, so a host built against
 *    an older header keeps working with a newer library.
 *  - Threads: different contexts are independent. A context, and the sessions made from it,
 *    may be used from any thread but not from two threads at once, except the functions marked
 *    "thread-safe", which may be called at any time from any thread.
 *  - Text is UTF-8 everywhere, including every JSON buffer. Lengths are in bytes; a length
 *    argument of MFR_NUL_TERMINATED means "up to the terminating NUL".
 *  - The plugin never writes to stdout or stderr; it logs through the host's callback, and never
 *    logs patient data or credentials.
 *
 * Stability (until 1.0; docs/ABI.md):
 *  - Stable: Version, Library, Clinical enumerations, Context, Sessions, Export, Import,
 *    Validation, Charts, Self-diagnosis, Batch import of legacy notes, Plugin entry. A symbol, its
 *    signature and its struct fields never change or go away; new behaviour comes as new functions
 *    and appended fields.
 *  - Experimental: Exchange (partners, push, flush, fetch, outbox, SMART Backend Services) and
 *    Server (mfr_server_*, bulk $export). Exported and in the function table like the rest, but
 *    their signatures and behaviour may change in a 0.x minor release (said in its notes); they
 *    become stable at 1.0. Their sections below say EXPERIMENTAL.
 *
 * The clinical model and its codes: docs/CLINICAL-MODEL.md; the ABI rules: docs/ABI.md.
 *
 * Compiles as C99 and as C++.
 */
#ifndef MFR_MFR_H
#define MFR_MFR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @name Version
 *  The version of the header a host was compiled with; compare with mfr_version_number() at
 *  run time to detect a header/library mismatch. @since 0.1.0 */
/**@{*/
#define MFR_VERSION_MAJOR 0
#define MFR_VERSION_MINOR 1
#define MFR_VERSION_PATCH 0
#define MFR_VERSION_NUMBER (MFR_VERSION_MAJOR * 10000 + MFR_VERSION_MINOR * 100 + MFR_VERSION_PATCH)
#define MFR_VERSION_STRING "0.1.0"
/** True when this header is at least version major.minor.patch. */
#define MFR_VERSION_AT_LEAST(major, minor, patch) \
  (MFR_VERSION_NUMBER >= ((major) * 10000 + (minor) * 100 + (patch)))
/** The binary interface version. It changes only on a break (never so far); additions do not. */
#define MFR_ABI_VERSION 1
/**@}*/

#if defined(_WIN32)
#define MFR_API __declspec(dllimport)
#elif defined(__GNUC__)
#define MFR_API __attribute__((visibility("default")))
#else
#define MFR_API
#endif

/** Marks a function kept only for hosts built against an older header (a compiler warning names
 *  its replacement). Define MFR_DEPRECATED(msg) as empty before including mfr.h to silence it. */
#ifndef MFR_DEPRECATED
#if defined(__GNUC__) || defined(__clang__)
#define MFR_DEPRECATED(msg) __attribute__((deprecated(msg)))
#elif defined(_MSC_VER)
#define MFR_DEPRECATED(msg) __declspec(deprecated(msg))
#else
#define MFR_DEPRECATED(msg)
#endif
#endif

/** Passed as a length: the text is NUL-terminated. */
#define MFR_NUL_TERMINATED ((size_t)-1)

/** Result of every call. Numbers are fixed forever; new codes are only appended. @since 0.1.0 */
typedef enum mfr_status {
  MFR_OK = 0,
  MFR_ERR_INVALID_ARGUMENT = 1, /**< a NULL pointer, an out-of-range enum or number, a bad struct_size */
  MFR_ERR_INVALID_HANDLE = 2,   /**< a NULL, freed or foreign handle */
  MFR_ERR_PARSE = 3,            /**< the text is not well-formed JSON (the message has line and column) */
  MFR_ERR_INVALID_DATA = 4,     /**< well-formed input that is not valid; an OperationOutcome says what */
  MFR_ERR_NOT_FOUND = 5,        /**< an index past the end, a missing file */
  MFR_ERR_NO_MEMORY = 6,
  MFR_ERR_IO = 7,               /**< a file could not be read or written */
  MFR_ERR_CANCELLED = 8,        /**< the host's progress callback asked to stop */
  MFR_ERR_ABI_MISMATCH = 9,     /**< mfr_plugin_entry() was asked for an ABI this library does not serve */
  MFR_ERR_UNSUPPORTED = 10,     /**< a feature this build does not have */
  MFR_ERR_INTERNAL = 11, /**< a bug in the library; the message says where */
  MFR_ERR_NETWORK = 12, /**< the partner could not be reached or stayed unavailable (refused, reset, 429/5xx after retries) */
  MFR_ERR_TLS = 13,     /**< TLS failed: the partner's certificate was refused (wrong CA, expired, wrong host), or ours was */
  MFR_ERR_TIMEOUT = 14, /**< the partner did not answer in time */
  MFR_ERR_REFUSED = 15, /**< the partner answered 4xx; its OperationOutcome is returned as it came */
  MFR_ERR_AUTH = 16,    /**< the token endpoint refused us, or the partner answered 401/403 */
  MFR_STATUS_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_status;

/** @name Library */
/**@{*/

/** The library's version, e.g. "0.1.0". Static storage; thread-safe. @since 0.1.0 */
MFR_API const char *mfr_version(void);

/** The library's version as MFR_VERSION_NUMBER computes it. Thread-safe. @since 0.1.0 */
MFR_API uint32_t mfr_version_number(void);

/** A fixed English name of a status ("MFR_ERR_PARSE: malformed JSON"); "unknown status" for others.
 *  Static storage; thread-safe. @since 0.1.0 */
MFR_API const char *mfr_status_str(mfr_status status);

/** The message of the last failed call on this thread, or "" when the last call succeeded.
 *  Valid until the next mfr_* call on the same thread. Never NULL. Thread-safe (per thread).
 *  @since 0.1.0 */
MFR_API const char *mfr_last_error(void);

/** Frees a buffer this library returned (JSON, SVG, NDJSON...). NULL is fine. Thread-safe. @since 0.1.0 */
MFR_API void mfr_free(void *buffer);
/**@}*/

/** @name Clinical enumerations
 *  The numbers are fixed; they mirror the model of docs/CLINICAL-MODEL.md. @since 0.1.0 */
/**@{*/
typedef enum mfr_level {
  MFR_LEVEL_C1 = 0, MFR_LEVEL_C2, MFR_LEVEL_C3, MFR_LEVEL_C4, MFR_LEVEL_C5, MFR_LEVEL_C6, MFR_LEVEL_C7,
  MFR_LEVEL_T1 = 7, MFR_LEVEL_T2, MFR_LEVEL_T3, MFR_LEVEL_T4, MFR_LEVEL_T5, MFR_LEVEL_T6, MFR_LEVEL_T7,
  MFR_LEVEL_T8, MFR_LEVEL_T9, MFR_LEVEL_T10, MFR_LEVEL_T11, MFR_LEVEL_T12,
  MFR_LEVEL_L1 = 19, MFR_LEVEL_L2, MFR_LEVEL_L3, MFR_LEVEL_L4, MFR_LEVEL_L5,
  MFR_LEVEL_SACRUM = 24,
  MFR_LEVEL_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_level;

/** Regions a session treats (Procedure.bodySite) or a finding sits in off the spine. */
typedef enum mfr_region {
  MFR_REGION_SPINE = 0,
  MFR_REGION_CERVICAL_SPINE = 1,
  MFR_REGION_THORACIC_SPINE = 2,
  MFR_REGION_LUMBAR_SPINE = 3,
  MFR_REGION_SACRUM = 4,
  MFR_REGION_UPPER_TRAPEZIUS = 5, /**< the "shoulder shawl" */
  MFR_REGION_RIB_CAGE = 6,
  MFR_REGION_CHEST_WALL = 7,
  MFR_REGION_INTERSCAPULAR = 8,
  MFR_REGION_SCAPULAR = 9,
  MFR_REGION_SKIN_OF_BACK = 10,
  MFR_REGION_LUMBAR_REGION = 11,
  MFR_REGION_NECK = 12,
  MFR_REGION_SHOULDER = 13,
  MFR_REGION_OTHER = 14, /**< free text in mfr_finding.region_text; not allowed as a treated region */
  MFR_REGION_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_region;

typedef enum mfr_side {
  MFR_SIDE_LEFT = 0,
  MFR_SIDE_RIGHT = 1,
  MFR_SIDE_MIDLINE = 2,
  MFR_SIDE_BILATERAL = 3, /**< input only: adds two findings, left and right, with the same values */
  MFR_SIDE_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_side;

typedef enum mfr_site_kind { MFR_SITE_VERTEBRA = 0, MFR_SITE_REGION = 1,
  MFR_SITE_KIND_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_site_kind;

typedef enum mfr_release {
  MFR_RELEASE_UNKNOWN = 0, MFR_RELEASE_RELEASED = 1, MFR_RELEASE_PARTIAL = 2, MFR_RELEASE_NOT_RELEASED = 3,
  MFR_RELEASE_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_release;

/** Procedure.status (FHIR event-status). */
typedef enum mfr_session_status {
  MFR_SESSION_COMPLETED = 0, MFR_SESSION_IN_PROGRESS = 1, MFR_SESSION_NOT_DONE = 2,
  MFR_SESSION_ENTERED_IN_ERROR = 3, MFR_SESSION_PREPARATION = 4, MFR_SESSION_ON_HOLD = 5,
  MFR_SESSION_STOPPED = 6, MFR_SESSION_UNKNOWN = 7,
  MFR_SESSION_STATUS_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_session_status;

/** Observation.status. */
typedef enum mfr_finding_status {
  MFR_FINDING_FINAL = 0, MFR_FINDING_AMENDED = 1, MFR_FINDING_ENTERED_IN_ERROR = 2,
  MFR_FINDING_REGISTERED = 3, MFR_FINDING_PRELIMINARY = 4, MFR_FINDING_CORRECTED = 5,
  MFR_FINDING_CANCELLED = 6, MFR_FINDING_UNKNOWN = 7,
  MFR_FINDING_STATUS_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_finding_status;
/**@}*/

/** @name Context */
/**@{*/
typedef struct mfr_context mfr_context;

typedef enum mfr_log_level { MFR_LOG_ERROR = 1, MFR_LOG_WARNING = 2, MFR_LOG_INFO = 3, MFR_LOG_DEBUG = 4,
  MFR_LOG_LEVEL_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_log_level;

/** Receives the library's log lines (never patient data or credentials). Called on the thread
 *  that made the call being logged; `message` is valid only during the call. */
typedef void (*mfr_log_fn)(void *user_data, mfr_log_level level, const char *message);

/** Options of mfr_context_open(). Start from MFR_CONTEXT_OPTIONS_INIT. @since 0.1.0 */
typedef struct mfr_context_options {
  uint32_t struct_size;
  /** The clinic's identifier system URI (e.g. "https://clinic.example/fhir/sessions"): the
   *  system of every business identifier the plugin writes. Required. Copied. */
  const char *identifier_system;
  mfr_log_fn log;          /**< may be NULL: no logging */
  void *user_data;         /**< passed back to every callback */
  mfr_log_level log_level; /**< lines above this level are not produced */
  /** The language of the narrative (Resource.text, status "generated") every exported resource
   *  carries: "en" (NULL, "" and anything else), "fr", "de" (also "fr-CA", "de_CH"). A resource
   *  imported with a narrative keeps it as received until its session or finding changes. Copied.
   *  Appended after the first layout: read only when struct_size covers it. @since 0.1.0 */
  const char *language;
} mfr_context_options;

#define MFR_CONTEXT_OPTIONS_INIT {sizeof(mfr_context_options), NULL, NULL, NULL, MFR_LOG_WARNING, NULL}

/** Opens a context: the unit of configuration and of thread ownership.
 *  @param[out] out      the new context, the caller's until mfr_context_close()
 *  @param[in]  options  copied; not used after the call
 *  @return MFR_OK; MFR_ERR_INVALID_ARGUMENT when out/options is NULL, struct_size is too small
 *          or identifier_system is missing or not an absolute URI.
 *  @since 0.1.0 */
MFR_API mfr_status mfr_context_open(mfr_context **out, const mfr_context_options *options);

/** Closes a context. Sessions and results made from it stay usable; they keep what they need.
 *  NULL is fine. @since 0.1.0 */
MFR_API void mfr_context_close(mfr_context *ctx);
/**@}*/

/** @name Sessions
 *  One treatment visit and its findings, built call by call or from session JSON. */
/**@{*/
typedef struct mfr_session mfr_session;

/** One finding at one site and side. Used both to add findings (input) and to read them
 *  (output). Start from MFR_FINDING_INIT. @since 0.1.0 */
typedef struct mfr_finding {
  uint32_t struct_size;
  mfr_site_kind site_kind;  /**< a vertebral level or a region */
  mfr_level level;          /**< when site_kind is MFR_SITE_VERTEBRA */
  mfr_region region;        /**< when site_kind is MFR_SITE_REGION */
  const char *region_text;  /**< when region is MFR_REGION_OTHER: the words, e.g. "hip flexors" */
  mfr_side side;
  int32_t restriction;      /**< 0 none, 1 mild, 2 moderate, 3 marked; -1 not graded */
  int32_t pain_nrs;         /**< 0..10 numeric rating; -1 not recorded */
  const char *pain_vas_mm;  /**< VAS in mm as decimal text ("60", "42.5"), 0..100; NULL not recorded */
  int32_t tender;           /**< 1 tender to palpation, 0 not tender, -1 not recorded */
  mfr_release released;     /**< what kneading did */
  const char *note;         /**< free text, may be NULL */
  mfr_finding_status status;
} mfr_finding;

#define MFR_FINDING_INIT \
  {sizeof(mfr_finding), MFR_SITE_VERTEBRA, MFR_LEVEL_C1, MFR_REGION_OTHER, NULL, MFR_SIDE_MIDLINE, -1, -1, NULL, -1, \
   MFR_RELEASE_UNKNOWN, NULL, MFR_FINDING_FINAL}

/** Starts an empty session (status completed).
 *  @param[out] out  the new session, the caller's until mfr_session_free()
 *  @param[in]  ctx  the context it belongs to (for the identifier system); may be closed later
 *  @param[in]  id   the session's business key, unique in the clinic's identifier system; copied
 *  @return MFR_OK; MFR_ERR_INVALID_HANDLE; MFR_ERR_INVALID_ARGUMENT when out or id is NULL or empty.
 *  @since 0.1.0 */
MFR_API mfr_status mfr_session_new(mfr_session **out, mfr_context *ctx, const char *id);

/** Frees a session made by mfr_session_new(), mfr_session_from_json() or mfr_session_clone().
 *  Sessions borrowed from an mfr_import_result are freed with the result, not here (doing so
 *  returns no error but does nothing). NULL is fine. @since 0.1.0 */
MFR_API void mfr_session_free(mfr_session *session);

/** A deep copy the caller owns (e.g. of a session borrowed from an import result). @since 0.1.0 */
MFR_API mfr_status mfr_session_clone(mfr_session **out, const mfr_session *session);

/** Sets the patient: "Patient/{id}" or, for transactions, "Patient?identifier={system}|{value}".
 *  Copied. @return MFR_OK; MFR_ERR_INVALID_HANDLE; MFR_ERR_INVALID_ARGUMENT when NULL or empty.
 *  @since 0.1.0 */
MFR_API mfr_status mfr_session_set_patient(mfr_session *session, const char *reference);

/** Sets (or with NULL clears) the practitioner reference, e.g. "Practitioner/9". Copied. @since 0.1.0 */
MFR_API mfr_status mfr_session_set_practitioner(mfr_session *session, const char *reference);

/** Sets (or with NULL clears) the encounter reference, e.g. "Encounter/77". Copied. @since 0.1.0 */
MFR_API mfr_status mfr_session_set_encounter(mfr_session *session, const char *reference);

/** Sets when the session began and (optionally, NULL) ended, as FHIR dateTime text
 *  ("2019-03-04T10:30:00+01:00"; a time needs seconds and a zone). The text is kept as given.
 *  @return MFR_OK; MFR_ERR_INVALID_ARGUMENT when start is NULL or either is not a FHIR dateTime.
 *  @since 0.1.0 */
MFR_API mfr_status mfr_session_set_period(mfr_session *session, const char *start, const char *end);

/** @return MFR_ERR_INVALID_ARGUMENT for a value outside mfr_session_status. @since 0.1.0 */
MFR_API mfr_status mfr_session_set_status(mfr_session *session, mfr_session_status status);

/** Adds a treated region (not MFR_REGION_OTHER). A region already present is not added twice.
 *  @since 0.1.0 */
MFR_API mfr_status mfr_session_add_region(mfr_session *session, mfr_region region);

/** Sets (or with NULL clears) the session note. Copied. @since 0.1.0 */
MFR_API mfr_status mfr_session_set_note(mfr_session *session, const char *note);

/** Sets this session's place in a course: session_number of planned_sessions (1..1000 each,
 *  0 = not known). @since 0.1.0 */
MFR_API mfr_status mfr_session_set_course(mfr_session *session, int32_t session_number, int32_t planned_sessions);

/** Adds a finding (two with MFR_SIDE_BILATERAL). Every field is checked and copied.
 *  @return MFR_OK; MFR_ERR_INVALID_ARGUMENT with the field named in mfr_last_error() for a
 *          value out of range, a missing region_text for MFR_REGION_OTHER, a VAS that is not a
 *          decimal from 0 to 100, or a struct_size too small.
 *  @since 0.1.0 */
MFR_API mfr_status mfr_session_add_finding(mfr_session *session, const mfr_finding *finding);

/** Read access to a session. Start from MFR_SESSION_INFO_INIT. @since 0.1.0 */
typedef struct mfr_session_info {
  uint32_t struct_size;
  const char *id;
  const char *patient;
  const char *practitioner;  /**< "" when none */
  const char *encounter;     /**< "" when none */
  const char *start;         /**< FHIR dateTime text, "" when unknown */
  const char *end;           /**< "" when none */
  mfr_session_status status;
  const char *note;          /**< "" when none */
  int32_t session_number;    /**< 0 when not known */
  int32_t planned_sessions;  /**< 0 when not known */
  size_t region_count;       /**< read each with mfr_session_region_get() */
  size_t finding_count;      /**< read each with mfr_session_finding_get() */
  const char *source_text;   /**< the verbatim legacy note behind the session, or NULL */
  const char *fhir_id;       /**< Procedure.id when imported, "" otherwise */
} mfr_session_info;

#define MFR_SESSION_INFO_INIT \
  {sizeof(mfr_session_info), NULL, NULL, NULL, NULL, NULL, NULL, MFR_SESSION_COMPLETED, NULL, 0, 0, 0, 0, NULL, NULL}

/** Fills `out` (as far as its struct_size reaches). Its strings are borrowed from the session:
 *  valid until the session is changed or freed. @since 0.1.0 */
MFR_API mfr_status mfr_session_info_get(mfr_session_info *out, const mfr_session *session);

/** Reads finding `index` (0-based) into `out`; strings borrowed as in mfr_session_info_get().
 *  @return MFR_ERR_NOT_FOUND when index >= finding_count. @since 0.1.0 */
MFR_API mfr_status mfr_session_finding_get(mfr_finding *out, const mfr_session *session, size_t index);

/** Reads treated region `index`. @return MFR_ERR_NOT_FOUND past the end. @since 0.1.0 */
MFR_API mfr_status mfr_session_region_get(mfr_region *out, const mfr_session *session, size_t index);

/** Deprecated aliases of the three above with the out-parameter last, as the first release had
 *  them; same behaviour. @deprecated use mfr_session_info_get(), mfr_session_finding_get(),
 *  mfr_session_region_get(). @since 0.1.0 */
MFR_API MFR_DEPRECATED("use mfr_session_info_get(out, session)")
mfr_status mfr_session_get_info(const mfr_session *session, mfr_session_info *out);
MFR_API MFR_DEPRECATED("use mfr_session_finding_get(out, session, index)")
mfr_status mfr_session_get_finding(const mfr_session *session, size_t index, mfr_finding *out);
MFR_API MFR_DEPRECATED("use mfr_session_region_get(out, session, index)")
mfr_status mfr_session_get_region(const mfr_session *session, size_t index, mfr_region *out);

/** Builds a session from session JSON, the small shape for hosts that prefer one JSON text:
 *  @code
 *  {"id": "S-2019-0042",                        required, the business key
 *   "patient": "Patient/p-123",                 required
 *   "start": "2019-03-04T10:30:00+01:00",       required, FHIR dateTime
 *   "end": "...", "practitioner": "Practitioner/9", "encounter": "Encounter/77",
 *   "status": "completed",                      FHIR Procedure.status code
 *   "regions": ["thoracic-spine", "upper-trapezius"],
 *   "note": "...", "sessionNumber": 2, "plannedSessions": 4,
 *   "findings": [
 *     {"site": "T4", "side": "bilateral", "restriction": 2, "pain": 6, "vasMm": 60,
 *      "tender": true, "released": "partial", "note": "..."},
 *     {"region": "upper-trapezius", "side": "right", "restriction": 3},
 *     {"regionText": "hip flexors", "side": "left", "restriction": 1}],
 *   "source": {"text": "verbatim legacy note", "origin": "notes.txt#3"}}
 *  @endcode
 *  Region keys: spine, cervical-spine, thoracic-spine, lumbar-spine, sacrum, upper-trapezius,
 *  rib-cage, chest-wall, interscapular, scapular, skin-of-back, lumbar-region, neck, shoulder.
 *  Sides: left, right, midline, bilateral. Released: released, partial, not-released, unknown.
 *  Unknown fields are errors (a typo never silently loses data).
 *  @param[out] out       the new session, the caller's (mfr_session_free())
 *  @param[out] outcome   may be NULL; on MFR_ERR_PARSE or MFR_ERR_INVALID_DATA receives an
 *                        OperationOutcome JSON (the caller's, mfr_free()) whose expressions
 *                        are JSON paths such as "findings[1].pain". The same issues as structs:
 *                        mfr_session_from_json_issues() (Validation)
 *  @param[in]  len       bytes of json, or MFR_NUL_TERMINATED
 *  @return MFR_OK; MFR_ERR_PARSE; MFR_ERR_INVALID_DATA; MFR_ERR_INVALID_HANDLE; MFR_ERR_INVALID_ARGUMENT.
 *  @since 0.1.0 */
MFR_API mfr_status mfr_session_from_json(mfr_session **out, char **outcome, mfr_context *ctx, const char *json,
                                         size_t len);

/** Writes a session as session JSON (the shape above). The buffer is NUL-terminated and the
 *  caller's (mfr_free()); `out_len` (may be NULL) receives its length without the NUL.
 *  What an imported resource carried beyond the model is not in session JSON: export the
 *  session itself to keep it. @since 0.1.0 */
MFR_API mfr_status mfr_session_to_json(char **out, size_t *out_len, const mfr_session *session);
/**@}*/

/** @name Export */
/**@{*/
typedef enum mfr_format {
  MFR_FORMAT_BUNDLE_COLLECTION = 1,  /**< a Bundle of type collection, for files */
  MFR_FORMAT_BUNDLE_TRANSACTION = 2, /**< a transaction: urn:uuid (v5) fullUrls, ifNoneExist on every entry */
  MFR_FORMAT_NDJSON = 3,             /**< FHIR NDJSON, every resource type in one stream */
  MFR_FORMAT_NDJSON_PROCEDURES = 4,  /**< Bulk Data file of the Procedures only */
  MFR_FORMAT_NDJSON_OBSERVATIONS = 5,
  MFR_FORMAT_NDJSON_DOCUMENTS = 6, /**< the DocumentReferences of legacy notes */
  MFR_FORMAT_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_format;

/** Exports sessions as FHIR R4 JSON. Each session gives one Procedure, one Observation per
 *  finding and, when it came from a legacy note, one DocumentReference. Output is byte-stable:
 *  the same sessions always give the same bytes, and identifiers are derived from session ids,
 *  so a re-export never makes new records. Imported resources are written back with everything
 *  they carried; only elements whose model value changed are rewritten.
 *  @param[out] out       NUL-terminated JSON, the caller's (mfr_free())
 *  @param[out] out_len   may be NULL; length without the NUL
 *  @param[in]  sessions  `count` session handles (owned or borrowed), not modified
 *  @return MFR_OK; MFR_ERR_INVALID_ARGUMENT (unknown format, a session without patient or start);
 *          MFR_ERR_INVALID_HANDLE (naming the index of the bad handle).
 *  @since 0.1.0 */
MFR_API mfr_status mfr_export(char **out, size_t *out_len, mfr_context *ctx, const mfr_session *const *sessions,
                              size_t count, mfr_format format);
/**@}*/

/** @name Import */
/**@{*/
typedef struct mfr_import_result mfr_import_result;

typedef enum mfr_input {
  MFR_INPUT_AUTO = 0,   /**< NDJSON when the text has more than one non-blank line of JSON objects */
  MFR_INPUT_JSON = 1,   /**< one resource or one Bundle (any type: collection, searchset, transaction...) */
  MFR_INPUT_NDJSON = 2, /**< one resource per line, LF or CRLF */
  MFR_INPUT_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_input;

/** Counts of an import. Start from MFR_IMPORT_COUNTS_INIT. Every resource read is counted once:
 *  in `resources` (ours, or rejected) or in `foreign`. @since 0.1.0 */
typedef struct mfr_import_counts {
  uint32_t struct_size;
  size_t resources; /**< resources read that are ours or were rejected (foreign ones not included) */
  size_t rejected;  /**< of those, not accepted because of an error (invalid FHIR, or ours but unreadable) */
  size_t sessions;  /**< sessions assembled */
  size_t errors;    /**< issues of severity error or fatal */
  size_t warnings;  /**< issues of severity warning */
  /** Valid resources that are not skin-rolling records: a Procedure or Observation that names
   *  neither our profile nor our code, a DocumentReference none of our Procedures reports (and not
   *  in our legacy-note form), any other type. Never a session, never a rejection; each has one
   *  "information" issue in the outcome. Appended after the first layout: written only when
   *  the host's struct_size covers it. @since 0.1.0 */
  size_t foreign;
} mfr_import_counts;

#define MFR_IMPORT_COUNTS_INIT {sizeof(mfr_import_counts), 0, 0, 0, 0, 0, 0}

/** Imports FHIR JSON: a resource, a Bundle or NDJSON. Only what is ours is read as ours: a
 *  Procedure is a session when it names the profile mfr-skin-rolling-procedure in meta.profile or
 *  carries CodeSystem/mfr#skin-rolling (CPT 97140 alone is not enough: it is any manual therapy);
 *  an Observation is a finding when it names mfr-skin-rolling-finding or carries
 *  CodeSystem/mfr#restriction, whatever its partOf says (a pain score or vitals partOf one of our
 *  Procedures stays foreign); a DocumentReference is ours when one of our Procedures reports it,
 *  or when it is in our legacy-note form (type.text "Legacy treatment note"). Every other valid
 *  resource of a partner's record (an appendectomy, a BMI, a Patient) is foreign: counted in
 *  mfr_import_counts.foreign, never a session, never a rejection, so a whole patient record
 *  imports with MFR_OK. Observations join their Procedure through
 *  partOf; Observations whose Procedure is absent get a session of their own (with a warning),
 *  so nothing accepted is dropped. Such a session exports its Observations only, still
 *  pointing at the absent Procedure: the plugin never invents another clinic's Procedure. A bad resource is rejected with an issue saying what and where
 *  (FHIRPath expression; line and column, or the NDJSON line) and the others still import.
 *  @param[out] out  the result, the caller's (mfr_import_result_free()); written when the
 *                   status is MFR_OK, MFR_ERR_INVALID_DATA or MFR_ERR_PARSE
 *  @return MFR_OK when every resource was accepted (warnings allowed); MFR_ERR_INVALID_DATA when
 *          some were rejected; MFR_ERR_PARSE when the whole text is not JSON (one issue with
 *          line and column); MFR_ERR_INVALID_ARGUMENT; MFR_ERR_INVALID_HANDLE.
 *  @since 0.1.0 */
MFR_API mfr_status mfr_import(mfr_import_result **out, mfr_context *ctx, const char *data, size_t len, mfr_input input);

/** One input of mfr_import_many(). Start from MFR_INPUT_BUFFER_INIT. @since 0.1.0 */
typedef struct mfr_input_buffer {
  uint32_t struct_size;
  const char *name;  /**< e.g. the file name, shown in issue locations; may be NULL */
  const char *data;  /**< the text; not kept after the call */
  size_t len;        /**< bytes of data, or MFR_NUL_TERMINATED */
  mfr_input input;
} mfr_input_buffer;

#define MFR_INPUT_BUFFER_INIT {sizeof(mfr_input_buffer), NULL, NULL, 0, MFR_INPUT_AUTO}

/** Imports several inputs together, as mfr_import() does one, so that Observations in one file
 *  find their Procedure in another (FHIR Bulk Data writes one NDJSON file per resource type).
 *  Each issue's location starts with its input's name. Statuses as mfr_import().
 *  @since 0.1.0 */
MFR_API mfr_status mfr_import_many(mfr_import_result **out, mfr_context *ctx, const mfr_input_buffer *inputs,
                                   size_t count);

/** Frees the result and every session borrowed from it. NULL is fine. @since 0.1.0 */
MFR_API void mfr_import_result_free(mfr_import_result *result);

/** Fills `out` (as far as its struct_size reaches) with the import's counts. @since 0.1.0 */
MFR_API mfr_status mfr_import_result_counts_get(mfr_import_counts *out, const mfr_import_result *result);

/** Deprecated alias of mfr_import_result_counts_get() with the out-parameter last.
 *  @deprecated use mfr_import_result_counts_get(). @since 0.1.0 */
MFR_API MFR_DEPRECATED("use mfr_import_result_counts_get(out, result)")
mfr_status mfr_import_result_counts(const mfr_import_result *result, mfr_import_counts *out);

/** Borrows session `index`: valid until the result is freed; do not mfr_session_free() it
 *  (mfr_session_clone() gives one to keep). @return MFR_ERR_NOT_FOUND past the end. @since 0.1.0 */
MFR_API mfr_status mfr_import_result_session(const mfr_session **out, const mfr_import_result *result, size_t index);

/** The import's issues as an R4 OperationOutcome (one "information" issue when there were none).
 *  NUL-terminated, the caller's (mfr_free()). The same issues, one by one as structs, without a
 *  JSON parser: mfr_import_result_issue(). @since 0.1.0 */
MFR_API mfr_status mfr_import_result_outcome(char **out, size_t *out_len, const mfr_import_result *result);

typedef enum mfr_severity {
  MFR_SEVERITY_FATAL = 0,       /**< the input could not be read at all (malformed JSON) */
  MFR_SEVERITY_ERROR = 1,       /**< the resource (or note) was rejected */
  MFR_SEVERITY_WARNING = 2,     /**< accepted, with a remark */
  MFR_SEVERITY_INFORMATION = 3, /**< e.g. a foreign resource, counted and left alone */
  MFR_SEVERITY_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_severity;

/** One issue of an import: what the OperationOutcome's issue says, as fields. Start from
 *  MFR_ISSUE_INIT. Its strings are borrowed from the result: valid until
 *  mfr_import_result_free(); never NULL, "" when absent. The smallest struct_size accepted is
 *  the end of `resource` (this first layout); fields are only appended. @since 0.1.0 */
typedef struct mfr_issue {
  uint32_t struct_size;
  mfr_severity severity;
  const char *code;         /**< the R4 issue type: "structure", "required", "value", "not-found", ... */
  const char *diagnostics;  /**< a sentence for a person saying what is wrong */
  const char *expression;   /**< FHIRPath of the element ("Observation.component[0].valueInteger"), or "" */
  uint32_t line;            /**< 1-based line in the input (NDJSON: the file line), 0 when unknown */
  uint32_t column;          /**< 1-based column in bytes within that line, 0 when unknown */
  size_t record;            /**< 1-based NDJSON line or Bundle entry number, 0 when not from a stream */
  const char *source;       /**< the input's name (mfr_input_buffer.name, a batch note's origin), or "" */
  const char *resource;     /**< the resource the issue is about ("Observation/o1"), or "" */
} mfr_issue;

#define MFR_ISSUE_INIT {sizeof(mfr_issue), MFR_SEVERITY_INFORMATION, NULL, NULL, NULL, 0, 0, 0, NULL, NULL}

/** How many issues the import has (the OperationOutcome's issues, without its "No issues found"
 *  filler: 0 for a clean import). @since 0.1.0 */
MFR_API mfr_status mfr_import_result_issue_count(size_t *out, const mfr_import_result *result);

/** Reads issue `index` (0-based, in the OperationOutcome's order) into `out`.
 *  @return MFR_OK; MFR_ERR_NOT_FOUND when index >= the issue count; MFR_ERR_INVALID_ARGUMENT for
 *          a NULL out or a struct_size too small; MFR_ERR_INVALID_HANDLE. @since 0.1.0 */
MFR_API mfr_status mfr_import_result_issue(mfr_issue *out, const mfr_import_result *result, size_t index);
/**@}*/

/** @name Validation */
/**@{*/
typedef enum mfr_strictness {
  MFR_STRICT = 0,  /**< what we emit: our profiles' rules are errors */
  MFR_LENIENT = 1, /**< what we receive: profile departures are warnings, base-R4 errors are errors */
  MFR_STRICTNESS_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_strictness;

/** Validates FHIR R4 JSON — one resource, a Bundle (entries included), or NDJSON — against the
 *  R4 base rules (element names, JSON types, cardinality, primitive formats, required bindings,
 *  reference shapes, invariants such as obs-6, bdl-1..bdl-12, dom-2..dom-5, ele-1, us-core-7)
 *  and, for resources that claim them (meta.profile or our codes), our two profiles.
 *  @param[out] outcome      an R4 OperationOutcome, the caller's (mfr_free()); written when the
 *                           status is MFR_OK, MFR_ERR_INVALID_DATA or MFR_ERR_PARSE. Each issue has
 *                           severity, code, diagnostics, the FHIRPath `expression`, the HL7
 *                           operationoutcome-issue-line/-col extensions and location
 *                           "Line[n] Col[m]" (for NDJSON n is the file line), and the extension
 *                           https://mfr-fhir.org/fhir/StructureDefinition/issue-resource naming
 *                           the resource ("Observation/o1"). The same issues as structs, without
 *                           a JSON parser: mfr_validate_issues()
 *  @param[in]  input        MFR_INPUT_AUTO, MFR_INPUT_JSON or MFR_INPUT_NDJSON
 *  @return MFR_OK (no errors; warnings allowed); MFR_ERR_INVALID_DATA (errors); MFR_ERR_PARSE (the
 *          single JSON text is malformed); MFR_ERR_INVALID_ARGUMENT; MFR_ERR_INVALID_HANDLE.
 *  Thread-safe for different contexts. @since 0.1.0 */
MFR_API mfr_status mfr_validate(char **outcome, size_t *outcome_len, mfr_context *ctx, const char *data, size_t len,
                                mfr_input input, mfr_strictness strictness);

/** The issues of a validation (mfr_validate_issues()) or of a session JSON text
 *  (mfr_session_from_json_issues()), kept for reading as mfr_issue structs, without a JSON parser,
 *  and as an OperationOutcome. Opaque; not tied to the context that made it (it may outlive it).
 *  Nothing changes it after it is made: its readers may be called from several threads at once.
 *  @since 0.1.0 */
typedef struct mfr_validation mfr_validation;

/** Validates as mfr_validate() does (same rules, same statuses, same mfr_last_error()) and keeps
 *  the issues in a result instead of writing OperationOutcome text.
 *  @param[out] out  the result, the caller's (mfr_validation_free()); written when the status is
 *                   MFR_OK (its issues are warnings or none), MFR_ERR_INVALID_DATA or MFR_ERR_PARSE
 *                   (one fatal issue with line and column)
 *  @param[in]  len  bytes of data, or MFR_NUL_TERMINATED
 *  @return MFR_OK; MFR_ERR_INVALID_DATA; MFR_ERR_PARSE; MFR_ERR_INVALID_ARGUMENT; MFR_ERR_INVALID_HANDLE.
 *  Thread-safe for different contexts. @since 0.1.0 */
MFR_API mfr_status mfr_validate_issues(mfr_validation **out, mfr_context *ctx, const char *data, size_t len,
                                       mfr_input input, mfr_strictness strictness);

/** Builds a session from session JSON as mfr_session_from_json() does (same shape, statuses and
 *  messages), with the issues as a result to read as structs instead of OperationOutcome text.
 *  @param[out] out     the new session, the caller's (mfr_session_free()); written on MFR_OK only
 *  @param[out] issues  may be NULL; else set to NULL on entry and, when the status is MFR_OK,
 *                      MFR_ERR_PARSE or MFR_ERR_INVALID_DATA, to a new result the caller frees with
 *                      mfr_validation_free(). Its issues' expressions are JSON paths such as
 *                      "findings[1].pain"; on MFR_OK it holds no errors (today no issue at all)
 *  @param[in]  len     bytes of json, or MFR_NUL_TERMINATED
 *  @return MFR_OK; MFR_ERR_PARSE; MFR_ERR_INVALID_DATA; MFR_ERR_INVALID_HANDLE; MFR_ERR_INVALID_ARGUMENT.
 *  Thread-safe for different contexts. @since 0.1.0 */
MFR_API mfr_status mfr_session_from_json_issues(mfr_session **out, mfr_validation **issues, mfr_context *ctx,
                                                const char *json, size_t len);

/** Frees a validation result and the strings its issues lent. NULL is fine; a handle that is not a
 *  live mfr_validation is left alone. Not at the same time as a reader of the same result.
 *  @since 0.1.0 */
MFR_API void mfr_validation_free(mfr_validation *validation);

/** How many issues the result has (those of its OperationOutcome without the "No issues found"
 *  filler: 0 for a clean document).
 *  @return MFR_OK; MFR_ERR_INVALID_ARGUMENT for a NULL out; MFR_ERR_INVALID_HANDLE.
 *  Thread-safe (the result never changes). @since 0.1.0 */
MFR_API mfr_status mfr_validation_issue_count(size_t *out, const mfr_validation *validation);

/** Reads issue `index` (0-based, in the OperationOutcome's order) into `out`, as
 *  mfr_import_result_issue() does for an import. Start from MFR_ISSUE_INIT. Its strings are
 *  borrowed from the result: valid until mfr_validation_free(); never NULL, "" when absent.
 *  `source` is "" (one unnamed input); `record` is 0 for one JSON text and the NDJSON line for
 *  MFR_INPUT_NDJSON.
 *  @return MFR_OK; MFR_ERR_NOT_FOUND when index >= the issue count; MFR_ERR_INVALID_ARGUMENT for
 *          a NULL out or a struct_size too small; MFR_ERR_INVALID_HANDLE. Thread-safe. @since 0.1.0 */
MFR_API mfr_status mfr_validation_issue(mfr_issue *out, const mfr_validation *validation, size_t index);

/** The same issues as the R4 OperationOutcome mfr_validate() writes (one "information" issue when
 *  there were none). NUL-terminated, the caller's (mfr_free()); `out_len` may be NULL.
 *  @return MFR_OK; MFR_ERR_INVALID_ARGUMENT for a NULL out; MFR_ERR_INVALID_HANDLE;
 *  MFR_ERR_NO_MEMORY. Thread-safe. @since 0.1.0 */
MFR_API mfr_status mfr_validation_outcome(char **out, size_t *out_len, const mfr_validation *validation);
/**@}*/

/** @name Charts
 *  SVG pictures of findings that a host shows in its own UI or prints: self-contained SVG 1.1
 *  (UTF-8, no script, no external references), deterministic (the same sessions give the same
 *  bytes, so hosts may cache), with <title>/<desc> text alternatives for screen readers. Every
 *  cell carries data attributes (data-level, data-side, data-grade, data-pain, ...) so a host can
 *  read a chart back. The patient's reference never appears; patient_label only when asked. */
/**@{*/

/** Options of the charts. Start from MFR_CHART_OPTIONS_INIT; NULL options mean the defaults.
 *  @since 0.1.0 */
typedef struct mfr_chart_options {
  uint32_t struct_size;
  int32_t width_px;           /**< 0: 560; else clamped to 320..4000 (layouts adapt) */
  int32_t height_px;          /**< 0: the height the content needs; else scaled to fit */
  int32_t full_spine;         /**< 0: the levels with findings and their neighbours; 1: C1 to the sacrum */
  int32_t show_patient;       /**< 1: show patient_label in the heading; 0 (default): never */
  const char *patient_label;  /**< e.g. the patient's name as the EMR shows it; copied */
  const char *language;       /**< "en" (default), "fr", "de"; anything else falls back to "en" */
  const char *title;          /**< NULL: a default title in that language */
} mfr_chart_options;

#define MFR_CHART_OPTIONS_INIT {sizeof(mfr_chart_options), 0, 0, 0, 0, NULL, NULL, NULL}

/** Draws the spine map of one session: C1 to the sacrum down the middle, a cell for the left and
 *  the right side of each level (posterior view), coloured by restriction grade on an ordered,
 *  colour-blind-safe scale with the grade also written (0, +, ++, +++), the pain score in the
 *  cell, marks for tenderness and release, off-spine regions beside the spine, and a legend.
 *  Works for sessions built here, from session JSON, or imported from another clinic's FHIR.
 *  @param[out] out_svg  NUL-terminated SVG, the caller's (mfr_free())
 *  @param[out] out_len  may be NULL; length without the NUL
 *  @return MFR_OK; MFR_ERR_INVALID_HANDLE; MFR_ERR_INVALID_ARGUMENT (options).
 *  @since 0.1.0 */
MFR_API mfr_status mfr_chart_session(char **out_svg, size_t *out_len, const mfr_session *session,
                                     const mfr_chart_options *options);

/** Draws the course of many sessions of one patient: a level x session heat map per side, and
 *  over a date axis the highest pain and the number of restricted sites per session, so that
 *  improvement over weeks shows at a glance. Sessions are sorted by date inside; sessions entered
 *  in error or not done are left out.
 *  @return MFR_OK; MFR_ERR_INVALID_ARGUMENT when the sessions are of more than one patient or one
 *          has no start (the message names the session ids, never the patient);
 *          MFR_ERR_INVALID_HANDLE naming the index of a bad handle.
 *  @since 0.1.0 */
MFR_API mfr_status mfr_chart_course(char **out_svg, size_t *out_len, const mfr_session *const *sessions, size_t count,
                                    const mfr_chart_options *options);
/**@}*/

/** @name Self-diagnosis
 *  For support: what this build is and whether its parts work on this machine. Neither call
 *  reads or writes patient data, files or the network. */
/**@{*/

/** Describes this build as JSON: {"name", "version", "versionNumber", "abi", "soname",
 *  "compiler", "cplusplus", "optimised", "sanitizers", "dependencies": {"openssl": {"built",
 *  "running"}, "sqlite": {"built", "running"}, "boost": {"built"}}, "features": [...]}.
 *  More members may be added; hosts ignore the ones they do not know.
 *  @param[out] json_out  NUL-terminated JSON, the caller's (mfr_free())
 *  @param[out] len       may be NULL; length without the NUL
 *  @return MFR_OK; MFR_ERR_INVALID_ARGUMENT when json_out is NULL. Thread-safe. @since 0.1.0 */
MFR_API mfr_status mfr_build_info(char **json_out, size_t *len);

/** Runs the self-test: "tls" (a TLS client context with the system trust store), "store" (an
 *  in-memory SQLite store writes and reads a resource), "codecs" (a made-up session exported as
 *  a Bundle, re-imported and re-exported to the same bytes) and "validator" (that Bundle is
 *  valid, strict). Takes well under a second.
 *  @param[out] report_json  {"ok": bool, "version", "checks": [{"name", "ok", "detail"}]},
 *                           NUL-terminated, the caller's (mfr_free()); written on MFR_OK and on
 *                           a failed check (MFR_ERR_IO, MFR_ERR_INTERNAL)
 *  @param[out] len          may be NULL; length without the NUL
 *  @return MFR_OK when every part works; MFR_ERR_IO when the first failing part is "tls" or
 *          "store" (the machine: no trust store, SQLite cannot work); MFR_ERR_INTERNAL when it is
 *          "codecs" or "validator" (a bug). mfr_last_error() names the failing part.
 *          Thread-safe. @since 0.1.0 */
MFR_API mfr_status mfr_selftest(char **report_json, size_t *len);
/**@}*/

/** @name Batch import of legacy notes
 *  Years of free-text, CSV and HL7 v2 notes -> validated FHIR NDJSON, streaming, on both cores,
 *  resumable, with every note accounted for (imported, imported with warnings, or quarantined
 *  with the reason). The notes are read as docs/CLINICAL-MODEL.md §5 describes (levels and
 *  ranges, regions, sides, grades, pain, tenderness, release, plan, dates). */
/**@{*/
typedef struct mfr_batch mfr_batch;

typedef enum mfr_note_format {
  MFR_NOTES_TEXT = 1,  /**< plain text: one note per file, or many split at dated header lines */
  MFR_NOTES_CSV = 2,   /**< CSV (RFC 4180) with a column mapping */
  MFR_NOTES_HL7V2 = 3, /**< HL7 v2 ORU^R01 / MDM^T02, batch files with FHS/BHS allowed */
  MFR_NOTE_FORMAT_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_note_format;

/** Progress and final counts of a batch. notes == imported + imported_with_warnings + quarantined,
 *  always. @since 0.1.0 */
typedef struct mfr_batch_progress {
  uint32_t struct_size;
  uint64_t notes;
  uint64_t imported;
  uint64_t imported_with_warnings;
  uint64_t quarantined;
  uint64_t findings;       /**< Observations written */
  uint64_t bytes_done;     /**< of the input files */
  uint64_t bytes_total;
  uint64_t resumed_notes;  /**< notes a checkpoint had done before this run */
  double elapsed_seconds;
} mfr_batch_progress;

#define MFR_BATCH_PROGRESS_INIT {sizeof(mfr_batch_progress), 0, 0, 0, 0, 0, 0, 0, 0, 0.0}

/** Called after each chunk of notes, on the thread that called mfr_batch_execute(); `progress` is
 *  valid during the call. Return non-zero to stop: the checkpoint stays and a later run resumes. */
typedef int (*mfr_batch_progress_fn)(void *user_data, const mfr_batch_progress *progress);

/** Options of mfr_batch_new(). Start from MFR_BATCH_OPTIONS_INIT. Strings are copied. @since 0.1.0 */
typedef struct mfr_batch_options {
  uint32_t struct_size;
  mfr_note_format format;
  /** Where the NDJSON files go (Procedure, Observation, DocumentReference, Provenance .ndjson,
   *  report.jsonl, quarantine.jsonl, summary.json, checkpoint.json). A note with no date is
   *  imported with a warning, its start marked unknown (data-absent-reason). NULL: results stay in memory and are
   *  read with mfr_batch_take_result() (for notes handed over by the host). */
  const char *out_dir;
  int32_t threads;            /**< 0: 2 */
  int32_t month_first;        /**< 1: "04/03/2019" is 3 April; 0 (default): 4 March. Ambiguous dates are flagged */
  const char *id_namespace;   /**< part of every session id (e.g. the old system's name); may be NULL */
  const char *default_patient; /**< patient for notes that name none ("Patient/1"); NULL: such notes are quarantined */
  const char *patient_system; /**< identifier system of patient numbers in notes and exports */
  /** CSV column mapping "field=Header,...", fields patient, date, practitioner, note, id; a
   *  header may be a 0-based column number. Fields not named (or NULL) are found by their usual
   *  header names in English, French and German ("MRN", "Datum", "date de séance", "Notiz"...),
   *  without regard to case or accents. */
  const char *csv_columns;
  char csv_delimiter;         /**< 0: sniffed from the header line (',' ';' or tab) */
  int32_t restart;            /**< 1: ignore an existing checkpoint and start over */
  mfr_batch_progress_fn progress; /**< may be NULL */
  void *user_data;
  /** The notes' language: "en", "fr" or "de" (also "english", "french", "francais", "german",
   *  "deutsch"). NULL or "": found per note from its words, a note may mix languages. It decides
   *  the words only one language uses ("re" is rechts in German, "D" after a site droite in French)
   *  and that slashed dates are day first (French, German). Appended after the first layout: read
   *  only when struct_size covers it. @since 0.1.0 */
  const char *language;
} mfr_batch_options;

#define MFR_BATCH_OPTIONS_INIT \
  {sizeof(mfr_batch_options), MFR_NOTES_TEXT, NULL, 0, 0, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL}

/** Creates a batch. @param[out] out the caller's (mfr_batch_free()). @return MFR_OK;
 *  MFR_ERR_INVALID_ARGUMENT (format, a malformed csv_columns); MFR_ERR_INVALID_HANDLE. @since 0.1.0 */
MFR_API mfr_status mfr_batch_new(mfr_batch **out, mfr_context *ctx, const mfr_batch_options *options);
/* mfr_batch_new also refuses (MFR_ERR_INVALID_ARGUMENT) a language it does not know. */

/** Frees a batch. NULL is fine. @since 0.1.0 */
MFR_API void mfr_batch_free(mfr_batch *batch);

/** Adds an input file (read when the batch runs; copied path). @return MFR_ERR_NOT_FOUND when it
 *  does not exist. @since 0.1.0 */
MFR_API mfr_status mfr_batch_add_file(mfr_batch *batch, const char *path);

/** Adds one note handed over by the host (text copied). `origin` names it in the report (no
 *  patient data, e.g. "emr-note-8812"); `patient` ("Patient/1"), `date` (as the old system wrote
 *  it) and `id` (the host's key, for stable session ids) may be NULL. @since 0.1.0 */
MFR_API mfr_status mfr_batch_add_note(mfr_batch *batch, const char *text, size_t len, const char *origin,
                                      const char *patient, const char *date, const char *id);

/** Runs the batch on the calling thread (plus worker threads it owns and joins).
 *  @param[out] counts  may be NULL; the final counts
 *  @return MFR_OK (every note accounted for; quarantined notes are in the report, not errors);
 *          MFR_ERR_CANCELLED (the progress callback stopped it; run again to resume);
 *          MFR_ERR_IO (an input unreadable, an output unwritable); MFR_ERR_INVALID_HANDLE.
 *  @since 0.1.0 */
MFR_API mfr_status mfr_batch_execute(mfr_batch_progress *counts, mfr_batch *batch);

/** Deprecated alias of mfr_batch_execute() with the out-parameter last.
 *  @deprecated use mfr_batch_execute(). @since 0.1.0 */
MFR_API MFR_DEPRECATED("use mfr_batch_execute(counts, batch)")
mfr_status mfr_batch_run(mfr_batch *batch, mfr_batch_progress *counts);

/** After a run without out_dir: the sessions (as an mfr_import_result: use its accessors) and
 *  the per-note report as the result's OperationOutcome (one issue per note that was not
 *  imported cleanly). Moves them out of the batch. @param[out] out the caller's
 *  (mfr_import_result_free()). @since 0.1.0 */
MFR_API mfr_status mfr_batch_take_result(mfr_import_result **out, mfr_batch *batch);
/**@}*/

/** @name Exchange
 *  EXPERIMENTAL until 1.0 (see Stability at the top): signatures may change in a 0.x release.
 *  Sending sessions to a partner's FHIR server and fetching a patient's records from it, over
 *  HTTPS (TLS verified; mTLS, a bearer token or SMART Backend Services). Every Bundle goes
 *  through a durable outbox first (a SQLite file, or memory), so nothing is lost when the
 *  partner is down: it stays queued and mfr_exchange_flush() sends it later. Re-sending is safe
 *  (conditional creates), and the same Bundle pushed twice is one outbox row. Tokens, keys and
 *  Bundle bodies are never logged nor put in messages.
 *  Threads: as the context (one call at a time per context). Several processes may share one
 *  store file. @since 0.1.0 */
/**@{*/

/** The state of an outbox row. @since 0.1.0 */
typedef enum mfr_outbox_state {
  MFR_OUTBOX_QUEUED = 0,    /**< waiting for its first attempt, put back by mfr_exchange_outbox_retry(), or
                                 deferred by the partner's Retry-After until its nextAttemptAt */
  MFR_OUTBOX_IN_FLIGHT = 1, /**< being sent: the sender renews its lease every few seconds while the send
                                 lasts; a sender on this machine that died (its process id and start time
                                 are recorded with the claim) frees the row at once, one elsewhere when
                                 its lease ends */
  MFR_OUTBOX_SENT = 2,      /**< the partner accepted the transaction (2xx) */
  MFR_OUTBOX_FAILED = 3,    /**< the last attempt failed; tried again after a backoff */
  MFR_OUTBOX_DEAD = 4,      /**< refused (4xx) or out of attempts; only mfr_exchange_outbox_retry() revives it */
  MFR_OUTBOX_STATE_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_outbox_state;

/** One delivery attempt, as the delivery callback sees it. Strings are borrowed for the call
 *  only. No body, no token. @since 0.1.0 */
typedef struct mfr_delivery {
  uint32_t struct_size;
  const char *partner;         /**< the partner's name */
  int64_t outbox_id;           /**< the outbox row */
  const char *idempotency_key; /**< the row's key ("sha256:..." of the Bundle) */
  int32_t attempt;             /**< 1 for the first attempt */
  mfr_outbox_state state;      /**< after this attempt: SENT, FAILED or DEAD; QUEUED when the partner
                                    deferred it (429/503 with Retry-After, see mfr_exchange_flush()) */
  int32_t http_status;         /**< the partner's HTTP status; 0 when no answer came */
  const char *detail;          /**< "200: 9 entries (201 Created x9)" or why it failed; also a row a
                                    flush found over the partner's Bundle limits and could not cut
                                    (one session too large): DEAD, http_status 0, no attempt made */
} mfr_delivery;

/** Receives each delivery attempt, on the thread of the call that made it (push or flush). */
typedef void (*mfr_delivery_fn)(void *user_data, const mfr_delivery *delivery);

typedef enum mfr_smart_algorithm {
  MFR_SMART_RS384 = 0, /**< an RSA private key */
  MFR_SMART_ES384 = 1, /**< a P-384 EC private key */
  MFR_SMART_ALGORITHM_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_smart_algorithm;

/** How to reach one partner. Start from MFR_PARTNER_OPTIONS_INIT; NULL or "" strings and 0
 *  numbers mean "none" or the default. Every string is copied; files are read by
 *  mfr_exchange_add_partner(). @since 0.1.0 */
typedef struct mfr_partner_options {
  uint32_t struct_size;
  const char *name;             /**< required: the partner's name in this context and in the outbox */
  const char *base_url;         /**< required: the FHIR base, "https://partner.example/fhir" */
  const char *ca_file;          /**< PEM CA(s) that issue the partner's certificate; NULL: the system's */
  const char *client_cert_file; /**< our certificate for mTLS (PEM, chain first); with client_key_file */
  const char *client_key_file;
  const char *bearer_token;     /**< a fixed access token; ignored when SMART is configured */
  const char *smart_token_url;  /**< SMART Backend Services: the token endpoint (https); NULL: no SMART */
  const char *smart_client_id;
  const char *smart_private_key_file; /**< PEM private key that signs the client assertion */
  const char *smart_key_id;     /**< "kid" of its public key in the partner's JWKS */
  mfr_smart_algorithm smart_algorithm;
  const char *smart_scope;      /**< NULL: read and write of Procedure and Observation */
  int32_t allow_insecure_http;  /**< 1: accept an http:// base URL (tests on loopback); 0: refuse it */
  uint32_t connect_timeout_ms;  /**< TCP connect and TLS handshake, each; 0: 10 000 */
  uint32_t request_timeout_ms;  /**< one request and its whole answer; 0: 30 000 */
  uint32_t operation_timeout_ms; /**< one send or one search page, retries included; 0: 120 000 */
  int32_t max_attempts;         /**< HTTP attempts per send, the first included (1..20); 0: 5 */
  int32_t outbox_max_attempts;  /**< deliveries of one Bundle before it is dead (1..1000); 0: 8 */
  int32_t page_size;            /**< _count of searches (1..1000); 0: 100 */
  mfr_delivery_fn on_delivery;  /**< may be NULL */
  void *user_data;              /**< passed back to on_delivery */
  /** The partner's limits on one transaction Bundle (AWS HealthLake takes 160 entries, Azure
   *  Health Data Services 500, Google Cloud Healthcare 50 MB); 0: no limit. A push is then cut into
   *  several transaction Bundles on session boundaries: a session's Procedure, Observations,
   *  DocumentReference (and Provenance) always travel in one Bundle, and each Bundle is its own
   *  outbox row with its own idempotency key, so a resend of any of them stores nothing twice
   *  (conditional create). The cut is deterministic: the same sessions and limits give the same
   *  Bundles, so a second push finds the rows of the first. A single session over a limit is refused
   *  (MFR_ERR_INVALID_ARGUMENT naming the session and the limit; nothing is queued). Appended after
   *  the first layout (as mfr_flush_report.deferred): read only when struct_size covers them.
   *  @since 0.1.0 */
  int32_t max_bundle_entries;
  int64_t max_bundle_bytes;     /**< of the Bundle's JSON as sent; 0: no limit */
} mfr_partner_options;

#define MFR_PARTNER_OPTIONS_INIT \
  {sizeof(mfr_partner_options), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, MFR_SMART_RS384, NULL, 0, \
   0, 0, 0, 0, 0, 0, NULL, NULL, 0, 0}

/** Opens (or creates) the store that holds the outbox: a SQLite file, or memory for NULL or ""
 *  (lost at close). Replaces the context's store; without this call the first push opens one in
 *  memory. @return MFR_OK; MFR_ERR_INVALID_HANDLE; MFR_ERR_IO when the file cannot be opened.
 *  @since 0.1.0 */
MFR_API mfr_status mfr_exchange_open_store(mfr_context *ctx, const char *path);

/** Adds a partner to the context, or replaces the one of the same name. Checks the
 *  configuration before any traffic: the URL (http:// only with allow_insecure_http), the CA,
 *  certificate and key files, the SMART key.
 *  @return MFR_OK; MFR_ERR_INVALID_HANDLE; MFR_ERR_INVALID_ARGUMENT naming the bad field;
 *          MFR_ERR_IO when a file cannot be read. @since 0.1.0 */
MFR_API mfr_status mfr_exchange_add_partner(mfr_context *ctx, const mfr_partner_options *options);

typedef enum mfr_push_mode {
  MFR_PUSH_SEND_NOW = 0,   /**< queue, then send now (the partner's older queued Bundles first) */
  MFR_PUSH_QUEUE_ONLY = 1, /**< queue only; mfr_exchange_flush() sends it */
  MFR_PUSH_MODE_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit and any int a defined value */
} mfr_push_mode;

/** What became of a pushed Bundle. Start from MFR_PUSH_RESULT_INIT. @since 0.1.0 */
typedef struct mfr_push_result {
  uint32_t struct_size;
  int64_t outbox_id;
  int32_t inserted;        /**< 1: a new outbox row; 0: this Bundle was already in the outbox */
  mfr_outbox_state state;  /**< the row's state when the call returns */
  int32_t http_status;     /**< the partner's status for this Bundle; 0 when not sent by this call */
  int32_t entries;         /**< entries in the transaction Bundle (in all its parts) */
  /** Transaction Bundles this push became: 1, or more when the partner's max_bundle_entries or
   *  max_bundle_bytes cut it into parts, rows outbox_id..last_outbox_id (not always consecutive:
   *  a part already in the outbox keeps its row). outbox_id, state and http_status then tell of
   *  the first part that was not sent (else of the last part). Appended after the first layout:
   *  written only when struct_size covers them. @since 0.1.0 */
  int32_t parts;
  int64_t last_outbox_id;  /**< the last part's outbox row; outbox_id when there is one part */
} mfr_push_result;

#define MFR_PUSH_RESULT_INIT {sizeof(mfr_push_result), 0, 0, MFR_OUTBOX_QUEUED, 0, 0, 0, 0}

/** Pushes sessions to a partner as one transaction Bundle (MFR_FORMAT_BUNDLE_TRANSACTION),
 *  through the outbox, or as several whole-session Bundles when the partner's max_bundle_entries
 *  or max_bundle_bytes call for it (out->parts). With MFR_PUSH_SEND_NOW a Bundle that could not
 *  be sent stays queued for mfr_exchange_flush(); the status says why it was not sent. A partner
 *  that answers 413 (Payload Too Large) refuses the Bundle (MFR_ERR_REFUSED, dead, not retried);
 *  the message names the limit to set (max_bundle_entries / max_bundle_bytes).
 *  @param[out] out         may be NULL; written on MFR_OK and on every exchange status below
 *  @param[out] outcome     may be NULL; receives the partner's answer as it came (the
 *                          transaction-response Bundle, or on MFR_ERR_REFUSED its
 *                          OperationOutcome), the caller's (mfr_free()); NULL when none
 *  @param[in]  partner     a name given to mfr_exchange_add_partner()
 *  @param[in]  timeout_ms  MFR_PUSH_SEND_NOW: the time limit of each send, retries included;
 *                          0: the partner's operation_timeout_ms
 *  @return MFR_OK (sent, or queued with MFR_PUSH_QUEUE_ONLY, or already sent before, or being
 *          sent by another process: see out->state);
 *          MFR_ERR_REFUSED (4xx: the Bundle is dead); MFR_ERR_NETWORK, MFR_ERR_TLS,
 *          MFR_ERR_TIMEOUT, MFR_ERR_AUTH (the Bundle stays queued); MFR_ERR_INVALID_DATA (the
 *          partner's answer is not FHIR; the Bundle stays queued); MFR_ERR_NOT_FOUND (no such
 *          partner); MFR_ERR_INVALID_ARGUMENT (a session without patient or start, or one
 *          session larger than the partner's max_bundle_entries / max_bundle_bytes: nothing
 *          queued); MFR_ERR_INVALID_HANDLE; MFR_ERR_IO (the store). @since 0.1.0 */
MFR_API mfr_status mfr_exchange_push(mfr_push_result *out, char **outcome, mfr_context *ctx, const char *partner,
                                     const mfr_session *const *sessions, size_t count, mfr_push_mode mode,
                                     uint32_t timeout_ms);

/** Counts of a flush. Start from MFR_FLUSH_REPORT_INIT. @since 0.1.0 */
typedef struct mfr_flush_report {
  uint32_t struct_size;
  int32_t sent;
  int32_t failed;        /**< failed this time; tried again later */
  int32_t dead;          /**< refused (4xx) or out of attempts */
  int32_t stopped_early; /**< 1: the partner could not be reached or asked to wait; the rest stay queued */
  int32_t remaining;     /**< this partner's rows still unsent after the flush: queued, failed, or in flight
                              with another sender (so never 0 while a Bundle is unsent) */
  /** Rows the partner deferred this time: it answered 429 or 503 with Retry-After. Appended after
   *  the first layout (as retry_at): written only when the host's struct_size covers it.
   *  @since 0.1.0 */
  int32_t deferred;
  /** When the partner said it takes requests again (UTC seconds since 1970), when it deferred a
   *  row; else 0. @since 0.1.0 */
  int64_t retry_at;
  /** Of `remaining`, rows in flight with another sender that is alive (a process on this machine
   *  that still runs, or one elsewhere whose lease has not run out). Appended after the first
   *  layout, as deferred. @since 0.1.0 */
  int32_t in_flight;
  /** Rows queued before the partner's max_bundle_entries / max_bundle_bytes were set (or when
   *  they were larger) that this flush cut to them: each replaced, in one store transaction, by
   *  `recut_parts` rows in all of whole-session Bundles, each with its own idempotency key (the
   *  sha256 of its bytes, so a flush killed mid-way and run again, or a push of the same sessions
   *  with the same limits, never queues a part twice). The original row is gone from the outbox;
   *  its parts show it as "splitFrom" in mfr_exchange_outbox_list(). A row whose single session
   *  is over a limit is not cut: it is dead (counted in `dead`) with a sentence naming the session
   *  and the limit, reported once to on_delivery (attempt: the row's attempts so far, http_status
   *  0). Appended after the first layout, as deferred. @since 0.1.0 */
  int32_t recut;
  int32_t recut_parts;  /**< the rows the `recut` rows became */
} mfr_flush_report;

#define MFR_FLUSH_REPORT_INIT {sizeof(mfr_flush_report), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}

/** Sends the partner's due Bundles, oldest first, until none is due or the partner cannot be
 *  reached. Each attempt goes to the partner's on_delivery callback.
 *  Bundle limits: when the partner has max_bundle_entries or max_bundle_bytes, rows queued
 *  before (by a push without them, or with larger ones) that are over them are first cut on
 *  session boundaries, as a push would cut them, each part its own row (out->recut,
 *  out->recut_parts); a row whose single session is over a limit is dead with a sentence that
 *  names the session and the limit. mfr_exchange_push() with MFR_PUSH_SEND_NOW does the same to
 *  the older rows it sends. A row a 413 made dead is cut too once mfr_exchange_outbox_retry()
 *  queued it again and the partner has a limit.
 *  Rate limits: when the partner answers 429 or 503 with Retry-After (delta-seconds or an
 *  HTTP-date) and is still busy once the client's own retries within operation_timeout_ms are
 *  spent, the row is deferred: back to MFR_OUTBOX_QUEUED, due at the time the partner gave
 *  (nextAttemptAt in mfr_exchange_outbox_list()), and the attempt does not count against
 *  max_attempts. A row may be deferred 50 times in its life (a partner that always answers 429
 *  must not hold it for ever); after that such an answer is a failed attempt like any other. The
 *  flush stops there for this partner (stopped_early = 1, deferred, retry_at say until when); a
 *  429/503 without Retry-After is a failed attempt with backoff, as before.
 *  @param[out] out  may be NULL
 *  @return MFR_OK (whatever was delivered; the report counts it); MFR_ERR_NOT_FOUND (no such
 *          partner); MFR_ERR_INVALID_HANDLE; MFR_ERR_IO. @since 0.1.0 */
MFR_API mfr_status mfr_exchange_flush(mfr_flush_report *out, mfr_context *ctx, const char *partner);

/** Fetches a patient's skin-rolling records from a partner, even one that holds the patient's
 *  whole record: asks only for ours, Procedure?patient=`patient_reference`&code=
 *  https://mfr-fhir.org/fhir/CodeSystem/mfr|skin-rolling and Observation?patient=..&code=
 *  https://mfr-fhir.org/fhir/CodeSystem/mfr|restriction, page by page (following every next
 *  link), and imports every page together as mfr_import() does. A partner that refuses the
 *  code parameter (400 on the first page) is asked again without it and the filter is made
 *  here: its other resources come back counted as foreign (mfr_import_counts.foreign), never
 *  as sessions nor as rejections (an info log line says so).
 *  @param[out] out                the result, the caller's (mfr_import_result_free()); written
 *                                 on MFR_OK and MFR_ERR_INVALID_DATA
 *  @param[in]  patient_reference  "Patient/123" (as the partner knows the patient)
 *  @return MFR_OK; MFR_ERR_INVALID_DATA (some resources rejected; see the outcome);
 *          MFR_ERR_REFUSED (the partner answered 4xx; mfr_last_error() has its status);
 *          MFR_ERR_NETWORK; MFR_ERR_TLS; MFR_ERR_TIMEOUT; MFR_ERR_AUTH; MFR_ERR_NOT_FOUND;
 *          MFR_ERR_INVALID_DATA also when a page is not a searchset Bundle;
 *          MFR_ERR_INVALID_ARGUMENT; MFR_ERR_INVALID_HANDLE. @since 0.1.0 */
MFR_API mfr_status mfr_exchange_fetch(mfr_import_result **out, mfr_context *ctx, const char *partner,
                                      const char *patient_reference);

/** Rows per state in the context's store. Start from MFR_OUTBOX_COUNTS_INIT. @since 0.1.0 */
typedef struct mfr_outbox_counts {
  uint32_t struct_size;
  size_t queued, in_flight, sent, failed, dead;
} mfr_outbox_counts;

#define MFR_OUTBOX_COUNTS_INIT {sizeof(mfr_outbox_counts), 0, 0, 0, 0, 0}

MFR_API mfr_status mfr_exchange_outbox_counts(mfr_outbox_counts *out, mfr_context *ctx);

/** The outbox rows, newest first, as a JSON array of {"id", "partner", "state", "attempts",
 *  "deferrals" (times the partner's Retry-After deferred it; absent when 0), "createdAt",
 *  "updatedAt", "nextAttemptAt", "lastError", "responseStatus", "responseSummary",
 *  "idempotencyKey"} (absent members when not known), and for in-flight rows "holder"
 *  {"host", "pid", "gone"} (the sending process; gone is true when it is known to have died, on
 *  this machine) and "leaseUntil". Never the Bundles.
 *  @param[in] partner  NULL: every partner
 *  @param[in] state    a mfr_outbox_state, or -1 for every state
 *  @since 0.1.0 */
MFR_API mfr_status mfr_exchange_outbox_list(char **out_json, size_t *out_len, mfr_context *ctx, const char *partner,
                                            int32_t state);

/** Puts a failed or dead row back in the queue, due now, with fresh attempt and deferral counts;
 *  also an in-flight row whose sender is gone (known dead on this machine, or its lease ran out),
 *  never one a live sender holds.
 *  @return MFR_OK; MFR_ERR_NOT_FOUND when no such row has that id. @since 0.1.0 */
MFR_API mfr_status mfr_exchange_outbox_retry(mfr_context *ctx, int64_t outbox_id);

/** Deletes every dead row. @param[out] removed may be NULL. @since 0.1.0 */
MFR_API mfr_status mfr_exchange_outbox_purge_dead(size_t *removed, mfr_context *ctx);
/**@}*/

/** @name Server
 *  EXPERIMENTAL until 1.0 (see Stability at the top), bulk $export included.
 *  The receiving side of exchange: the plugin serves the clinic's records as a FHIR R4 REST
 *  endpoint for partner clinics, for an EMR without a FHIR server of its own. HTTPS (TLS 1.2+)
 *  by default, optionally requiring client certificates (mTLS); plain HTTP only when asked for
 *  and only on a loopback address. Every request but GET [base]/metadata needs a bearer token the
 *  clinic gave the partner, with the read and/or write scope (401 without, 403 for a missing
 *  scope). Interactions: metadata, read, vread, history, search (Procedure, Observation: patient,
 *  subject, date with every FHIR prefix, code, identifier, part-of, _count, _sort=date, _total,
 *  _include=Observation:part-of on Observation and _revinclude=Observation:part-of on Procedure
 *  (entry.search.mode "include", on the page of the match that needs it), _summary=count|true|
 *  text|data|false and _elements (subsets tagged meta.tag SUBSETTED; a read takes them too), next links; another
 *  parameter is refused with 400 `not-supported`, a malformed value with 400 `invalid`), create, update with If-Match, and transaction and
 *  batch Bundles (validated; a transaction is all-or-nothing; ifNoneExist makes a resend create
 *  nothing; its resources are written in one store transaction). Date search compares instants as
 *  FHIR R4 defines it: a stored date and a search value each stand for the UTC range their
 *  precision covers (`2026-03` is all of March; `2026-03-01T23:30:00-05:00` is 04:30 UTC on the
 *  2nd), a time without an offset is taken as UTC, and `ap` means within a tenth of the time
 *  between the value and now. Bundle.total is given for `_total=accurate` and `_summary=count`
 *  (and for `_total=estimate` on the last page). Each interaction
 *  leaves an AuditEvent (JSON) in the store's `audit_event` table (seq, json; in the order
 *  written, not among the stored resources), written in batches within about 20 ms (all of
 *  them before mfr_server_stop() returns; a crash may lose the last 20 ms). Limits: header size
 *  (431), body size (413), requests per second per address (429), and a deadline for each
 *  request's headers (slow clients are closed).
 *
 *  Bulk Data $export (FHIR Bulk Data Access IG): `GET [base]/$export` or `GET [base]/Patient/$export`
 *  (Procedures and Observations with a patient reference) with `Prefer: respond-async` and the read
 *  scope answers 202 with `Content-Location: [base]/$export-poll/{job}`; parameters `_type`
 *  (Procedure, Observation), `_since` (an instant; compared to the second) and `_outputFormat`
 *  (application/fhir+ndjson, application/ndjson, ndjson); anything else is 400. Polling answers 202
 *  with X-Progress and Retry-After while the job runs, then 200 with the JSON manifest (output
 *  URLs, counts, requiresAccessToken true); DELETE on it cancels or removes the job (202). Files are
 *  fetched with GET as application/fhir+ndjson. A job answers only the client (token name) that
 *  started it, which needs the read scope throughout; others get 404. At most 2 jobs run at once
 *  (429 beyond); finished jobs expire after an hour (410), and their files are removed then, on
 *  DELETE and at mfr_server_stop(). Jobs run on threads of their own, never on the HTTP threads.
 *  Kick-off, completion and each download leave an AuditEvent. */
/**@{*/
typedef struct mfr_server mfr_server;

/** Called once for each resource a partner created or changed, after it is stored, on one of the
 *  server's threads (never two calls at once), before the partner gets its answer: return
 *  quickly. `resource_type`, `id` and `json` (the resource as stored, with the id and meta the
 *  server gave it) are valid only during the call. @since 0.1.0 */
typedef void (*mfr_server_received_fn)(void *user_data, const char *resource_type, const char *id, const char *json);

/** Options of mfr_server_start(). Start from MFR_SERVER_OPTIONS_INIT. Strings are copied.
 *  @since 0.1.0 */
typedef struct mfr_server_options {
  uint32_t struct_size;
  const char *bind_address;      /**< an IP address; NULL: "127.0.0.1" */
  int32_t port;                  /**< 0: any free port (see mfr_server_port()) */
  const char *certificate_file;  /**< PEM chain of the server's certificate; required unless allow_plain_http */
  const char *private_key_file;  /**< PEM private key of that certificate */
  const char *client_ca_file;    /**< NULL: no client certificates; else clients must present one from this CA */
  /** The partners' bearer tokens, each "CLIENT:SECRET:SCOPES" with scopes "read", "write" or
   *  "read,write", e.g. "clinic-lyon:4f9c...:read,write". Secrets of 16 characters or more. At
   *  least one. The client name is the agent in AuditEvents and log lines. */
  const char *const *tokens;
  size_t token_count;
  const char *store_path;        /**< the SQLite store the server reads and writes; NULL or "": in memory */
  /** The base URL partners use (behind a proxy, say), for next links and Locations;
   *  NULL: https://<bind_address>:<port>/fhir. The FHIR base path on this server is /fhir. */
  const char *public_base_url;
  int32_t allow_plain_http;      /**< 1: http:// instead of https://; refused unless bind_address is loopback */
  int32_t threads;               /**< 0: 2 */
  uint32_t max_header_bytes;     /**< 0: 16 KiB */
  uint64_t max_body_bytes;       /**< 0: 16 MiB */
  uint32_t header_timeout_ms;    /**< time for the TLS handshake and for each request's headers; 0: 10 s */
  uint32_t requests_per_second;  /**< per client address, bursts of twice that; 0: 50 */
  mfr_server_received_fn on_received; /**< may be NULL */
  void *user_data;               /**< passed back to on_received */
  /** Where Bulk $export jobs write their NDJSON files, one folder per job (created when needed;
   *  removed on cancel, on expiry an hour after the job ends, and at mfr_server_stop()).
   *  NULL or "": "<store_path>.exports" next to the store, or a fresh folder in the system's
   *  temp directory for an in-memory store. Appended after the first layout: a host built
   *  against a header without it (a smaller struct_size) gets the default. */
  const char *export_directory;
  /** Subscriptions (experimental; R5 Backport IG, R4 form, topic
   *  https://mfr-fhir.org/fhir/SubscriptionTopic/skin-rolling-record): the PEM file of the CA(s)
   *  that partners' rest-hook endpoints' certificates must chain to; NULL or "": the system trust
   *  store. Appended after export_directory, with allow_http_subscribers: a host built against a
   *  header without them gets the defaults. @since 0.1.0 */
  const char *subscriber_ca_file;
  /** 1: a Subscription may name an http:// endpoint on a loopback address (127.0.0.0/8, [::1]);
   *  0: https:// endpoints only. @since 0.1.0 */
  int32_t allow_http_subscribers;
} mfr_server_options;

#define MFR_SERVER_OPTIONS_INIT \
  {sizeof(mfr_server_options), NULL, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0}

/** Starts the FHIR server: opens the store, loads the certificate, binds and listens; returns
 *  once it accepts connections. Request lines (method, path without query, status, time, client
 *  name) go to the context's log callback at MFR_LOG_INFO, from the server's threads.
 *  @param[out] out      the running server, the caller's until mfr_server_stop()
 *  @param[in]  ctx      its log callback is copied; the context may be closed while the server runs
 *  @param[in]  options  copied; not used after the call
 *  @return MFR_OK; MFR_ERR_INVALID_ARGUMENT (NULL pointers, struct_size, a malformed token, no
 *          token, no certificate without allow_plain_http, plain HTTP on a non-loopback address,
 *          a bind_address that is not an IP address); MFR_ERR_INVALID_HANDLE (ctx); MFR_ERR_IO
 *          (the store cannot be opened); MFR_ERR_TLS (the certificate, private key or client CA
 *          cannot be read or parsed, or the key does not match the certificate; the message names
 *          the file); MFR_ERR_NETWORK (the address and port cannot be bound: in use, not an
 *          address of this machine, a privileged port; the message names address and port).
 *          Thread-safe. @since 0.1.0 */
MFR_API mfr_status mfr_server_start(mfr_server **out, mfr_context *ctx, const mfr_server_options *options);

/** The port the server listens on (the one chosen when options->port was 0).
 *  @return MFR_OK; MFR_ERR_INVALID_ARGUMENT (out NULL); MFR_ERR_INVALID_HANDLE. Thread-safe.
 *  @since 0.1.0 */
MFR_API mfr_status mfr_server_port(uint16_t *out, const mfr_server *server);

/** Stops the server and frees it: no new connection is accepted, requests being answered get up
 *  to 2 seconds to finish, then every connection is closed and the threads are joined; running
 *  $export jobs are cancelled (each within one page of 500 resources), every job's files are
 *  removed and the pending AuditEvents are written. Returns within about 2 seconds plus the
 *  longest single request. Must not be called from on_received.
 *  @return MFR_OK; MFR_ERR_INVALID_HANDLE for NULL or an already stopped server. @since 0.1.0 */
MFR_API mfr_status mfr_server_stop(mfr_server *server);
/**@}*/

/** @name Plugin entry
 *  For hosts that dlopen() the library: one symbol gives every function. */
/**@{*/
typedef struct mfr_api {
  uint32_t struct_size;  /**< sizeof(mfr_api) of the library; read only the fields your header knows */
  uint32_t abi_version;  /**< MFR_ABI_VERSION of the library */
  const char *(*version)(void);
  uint32_t (*version_number)(void);
  const char *(*status_str)(mfr_status);
  const char *(*last_error)(void);
  void (*free)(void *);
  mfr_status (*context_open)(mfr_context **, const mfr_context_options *);
  void (*context_close)(mfr_context *);
  mfr_status (*session_new)(mfr_session **, mfr_context *, const char *);
  void (*session_free)(mfr_session *);
  mfr_status (*session_clone)(mfr_session **, const mfr_session *);
  mfr_status (*session_set_patient)(mfr_session *, const char *);
  mfr_status (*session_set_practitioner)(mfr_session *, const char *);
  mfr_status (*session_set_encounter)(mfr_session *, const char *);
  mfr_status (*session_set_period)(mfr_session *, const char *, const char *);
  mfr_status (*session_set_status)(mfr_session *, mfr_session_status);
  mfr_status (*session_add_region)(mfr_session *, mfr_region);
  mfr_status (*session_set_note)(mfr_session *, const char *);
  mfr_status (*session_set_course)(mfr_session *, int32_t, int32_t);
  mfr_status (*session_add_finding)(mfr_session *, const mfr_finding *);
  mfr_status (*session_get_info)(const mfr_session *, mfr_session_info *);
  mfr_status (*session_get_finding)(const mfr_session *, size_t, mfr_finding *);
  mfr_status (*session_get_region)(const mfr_session *, size_t, mfr_region *);
  mfr_status (*session_from_json)(mfr_session **, char **, mfr_context *, const char *, size_t);
  mfr_status (*session_to_json)(char **, size_t *, const mfr_session *);
  mfr_status (*export_sessions)(char **, size_t *, mfr_context *, const mfr_session *const *, size_t, mfr_format);
  mfr_status (*import)(mfr_import_result **, mfr_context *, const char *, size_t, mfr_input);
  void (*import_result_free)(mfr_import_result *);
  mfr_status (*import_result_counts)(const mfr_import_result *, mfr_import_counts *);
  mfr_status (*import_result_session)(const mfr_session **, const mfr_import_result *, size_t);
  mfr_status (*import_result_outcome)(char **, size_t *, const mfr_import_result *);
  mfr_status (*import_many)(mfr_import_result **, mfr_context *, const mfr_input_buffer *, size_t);
  mfr_status (*chart_session)(char **, size_t *, const mfr_session *, const mfr_chart_options *);
  mfr_status (*chart_course)(char **, size_t *, const mfr_session *const *, size_t, const mfr_chart_options *);
  mfr_status (*validate)(char **, size_t *, mfr_context *, const char *, size_t, mfr_input, mfr_strictness);
  mfr_status (*build_info)(char **, size_t *);
  mfr_status (*selftest)(char **, size_t *);
  mfr_status (*batch_new)(mfr_batch **, mfr_context *, const mfr_batch_options *);
  void (*batch_free)(mfr_batch *);
  mfr_status (*batch_add_file)(mfr_batch *, const char *);
  mfr_status (*batch_add_note)(mfr_batch *, const char *, size_t, const char *, const char *, const char *, const char *);
  mfr_status (*batch_run)(mfr_batch *, mfr_batch_progress *);
  mfr_status (*batch_take_result)(mfr_import_result **, mfr_batch *);
  mfr_status (*exchange_open_store)(mfr_context *, const char *);
  mfr_status (*exchange_add_partner)(mfr_context *, const mfr_partner_options *);
  mfr_status (*exchange_push)(mfr_push_result *, char **, mfr_context *, const char *, const mfr_session *const *,
                              size_t, mfr_push_mode, uint32_t);
  mfr_status (*exchange_flush)(mfr_flush_report *, mfr_context *, const char *);
  mfr_status (*exchange_fetch)(mfr_import_result **, mfr_context *, const char *, const char *);
  mfr_status (*exchange_outbox_counts)(mfr_outbox_counts *, mfr_context *);
  mfr_status (*exchange_outbox_list)(char **, size_t *, mfr_context *, const char *, int32_t);
  mfr_status (*exchange_outbox_retry)(mfr_context *, int64_t);
  mfr_status (*exchange_outbox_purge_dead)(size_t *, mfr_context *);
  mfr_status (*server_start)(mfr_server **, mfr_context *, const mfr_server_options *);
  mfr_status (*server_port)(uint16_t *, const mfr_server *);
  mfr_status (*server_stop)(mfr_server *);
  /* Appended after the first layout: present when struct_size covers them. */
  mfr_status (*import_result_issue_count)(size_t *, const mfr_import_result *);
  mfr_status (*import_result_issue)(mfr_issue *, const mfr_import_result *, size_t);
  mfr_status (*session_info_get)(mfr_session_info *, const mfr_session *);
  mfr_status (*session_finding_get)(mfr_finding *, const mfr_session *, size_t);
  mfr_status (*session_region_get)(mfr_region *, const mfr_session *, size_t);
  mfr_status (*import_result_counts_get)(mfr_import_counts *, const mfr_import_result *);
  mfr_status (*batch_execute)(mfr_batch_progress *, mfr_batch *);
  mfr_status (*validate_issues)(mfr_validation **, mfr_context *, const char *, size_t, mfr_input, mfr_strictness);
  mfr_status (*session_from_json_issues)(mfr_session **, mfr_validation **, mfr_context *, const char *, size_t);
  void (*validation_free)(mfr_validation *);
  mfr_status (*validation_issue_count)(size_t *, const mfr_validation *);
  mfr_status (*validation_issue)(mfr_issue *, const mfr_validation *, size_t);
  mfr_status (*validation_outcome)(char **, size_t *, const mfr_validation *);
} mfr_api;

/** Whether a table from mfr_plugin_entry() has the member `field` (those appended after the
 *  first layout are there only in a library that has them):
 *  if (MFR_API_HAS(api, import_result_issue)) api->import_result_issue(...). */
#define MFR_API_HAS(api, field) ((api)->struct_size >= offsetof(mfr_api, field) + sizeof((api)->field))

/** The function table for ABI `abi_version` (pass MFR_ABI_VERSION), or NULL when this library
 *  cannot serve it (then mfr_last_error() says which versions it serves). The table is static:
 *  valid for as long as the library stays loaded. Thread-safe. @since 0.1.0 */
MFR_API const mfr_api *mfr_plugin_entry(uint32_t abi_version);

/** The name of the entry symbol, for dlsym(). */
#define MFR_PLUGIN_ENTRY_SYMBOL "mfr_plugin_entry"
typedef const mfr_api *(*mfr_plugin_entry_fn)(uint32_t abi_version);
/**@}*/

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MFR_MFR_H */
