#pragma once
// The R4 invariants, one small function per key (or per resource, named by its keys), in place of
// a FHIRPath engine. `at` is the FHIRPath of the value checked; expressions are built from it only
// when an issue is raised.
#include <string>

#include "json/json.hpp"
#include "validate/path.hpp"
#include "validate/sink.hpp"

namespace mfr::validate::detail {

// ext-1: an extension has either nested extensions or a value[x], not both, not neither.
void check_ext_1(const json::Value& extension, const Path& at, Sink& sink);
// per-1: Period.start <= Period.end.
void check_per_1(const json::Value& period, const Path& at, Sink& sink);
// qty-3: a Quantity with a unit code has a system.
void check_qty_3(const json::Value& quantity, const Path& at, Sink& sink);
// att-1: an Attachment with data has a contentType.
void check_att_1(const json::Value& attachment, const Path& at, Sink& sink);
// obs-3: a reference range has low, high or text.
void check_obs_3(const json::Value& range, const Path& at, Sink& sink);
// pat-1: a patient contact has a name, telecom, address or organization.
void check_pat_1(const json::Value& contact, const Path& at, Sink& sink);
// txt-2: the narrative has some non-whitespace content.
void check_txt_2(const json::Value& narrative, const Path& at, Sink& sink);
// obs-6 and obs-7, on an Observation.
void check_observation(const json::Value& observation, const Path& at, Sink& sink);
// bdl-1, bdl-2, bdl-3, bdl-4, bdl-5, bdl-7, bdl-8, bdl-9, bdl-10, bdl-11, bdl-12, on a Bundle.
void check_bundle(const json::Value& bundle, const Path& at, Sink& sink);

// Helpers shared with the profile checks.
bool has_value_x(const json::Value& object) noexcept;        // any member named value<Type>
const json::Value* value_x(const json::Value& object) noexcept;
bool has_coding(const json::Value* codeable_concept, std::string_view system, std::string_view code) noexcept;

}  // namespace mfr::validate::detail
