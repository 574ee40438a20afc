#pragma once
// Building FHIR replies: content type, OperationOutcome errors, ETag/Last-Modified, Prefer.
#include <string>
#include <string_view>
#include <vector>

#include "exchange/server/http_types.hpp"
#include "json/json.hpp"
#include "store/store.hpp"
#include "validate/validate.hpp"

namespace mfr::server {

inline constexpr std::string_view kFhirJson = "application/fhir+json; charset=utf-8";

// A reply carrying a FHIR resource as JSON text.
Reply fhir_reply(int status, std::string body);
// An OperationOutcome with one error issue (`code` an R4 issue-type code).
Reply error_reply(int status, std::string_view code, std::string_view diagnostics, std::string_view expression = {});
// The validator's issues as an OperationOutcome.
Reply issues_reply(int status, const std::vector<validate::Issue>& issues);
// ETag, Last-Modified and (given a base) Location headers for one stored version.
void add_version_headers(Reply& reply, const store::StoredResource& stored, const std::string& base_url, bool location);

// An ISO 8601 instant ("2024-03-05T09:30:00.123+01:00") as an HTTP-date, or "" when unreadable.
std::string http_date(std::string_view iso_instant);
std::string http_date_now();
// The present instant as a FHIR instant in UTC with milliseconds.
std::string fhir_instant_now();
// A random UUID v4 text: the ids this server assigns.
std::string random_uuid();
// A UUID v7 text (RFC 9562): the Unix time in milliseconds, then random bits. Ids made later sort
// after earlier ones (to the millisecond), so a store's indexes take them at one end instead of
// on random pages: the AuditEvents' ids.
std::string time_ordered_uuid();

enum class PreferReturn { Minimal, Representation, OperationOutcome };
PreferReturn prefer_return(std::string_view prefer_header, PreferReturn fallback);

}  // namespace mfr::server
