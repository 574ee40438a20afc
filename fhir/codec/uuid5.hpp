#pragma once
// Name-based UUIDs (RFC 4122 version 5): the same identifier always gives the same
// urn:uuid, so a re-sent record is recognised instead of duplicated.
#include <string>
#include <string_view>

namespace mfr::codec {

// UUID v5 in the RFC 4122 URL namespace of `name`, lower-case, 36 characters.
std::string uuid5(std::string_view name);

// Whether this CPU has the x86 SHA extensions, which uuid5 uses when it has; `use` false makes it
// use the portable code instead (for the test that compares the two; not thread-safe with uuid5).
bool uuid5_uses_sha_extensions(bool use);

// The uuid of an identifier: uuid5("{system}|{value}").
inline std::string identifier_uuid(std::string_view system, std::string_view value) {
  std::string name;
  name.reserve(system.size() + value.size() + 1);
  name.append(system).append("|").append(value);
  return uuid5(name);
}

}  // namespace mfr::codec
