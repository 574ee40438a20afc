#pragma once
// Our two profiles from DOMAIN.md §2: mfr-skin-rolling-procedure and mfr-skin-rolling-finding.
// A resource claims a profile by naming it in meta.profile (any |version) or by carrying our code
// (CodeSystem/mfr#skin-rolling on a Procedure, #restriction on an Observation). Departures go to
// Sink::profile(): errors under Strictness::Strict, warnings under Lenient. Rule keys start "mfr-".
#include <string>

#include "json/json.hpp"
#include "validate/path.hpp"
#include "validate/sink.hpp"

namespace mfr::validate::detail {

bool claims_procedure_profile(const json::Value& procedure) noexcept;
bool claims_finding_profile(const json::Value& observation) noexcept;

// Each runs only when the resource claims the profile.
void check_procedure_profile(const json::Value& procedure, const Path& at, Sink& sink);
void check_finding_profile(const json::Value& observation, const Path& at, Sink& sink);

}  // namespace mfr::validate::detail
