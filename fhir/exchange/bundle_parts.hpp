#pragma once
// A transaction Bundle cut to a partner's size limits, on session boundaries. A session's entries
// refer to each other (Observation.partOf -> its Procedure, Procedure.report -> its
// DocumentReference, Provenance.target -> what it attests, by urn:uuid fullUrls) or to the same
// Procedure elsewhere ("Procedure/123"): entries linked that way always travel in one part. Parts
// keep the Bundle's order, fill greedily, and are the same for the same Bundle and limits, so a
// second push of the same sessions finds the same outbox rows (one key per part's bytes).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "json/json.hpp"

namespace mfr::exchange {

// A partner's limits on one transaction Bundle; 0 = no limit.
struct BundleLimits {
  int max_entries = 0;
  std::size_t max_bytes = 0;  // of the Bundle's JSON as sent
  bool any() const noexcept { return max_entries > 0 || max_bytes > 0; }
};

struct BundlePart {
  std::string json;  // the part as sent: a transaction Bundle of whole sessions
  int entries = 0;
};

struct BundleCut {
  std::vector<BundlePart> parts;  // empty when a session is over a limit
  // That session, its size and the limit with the option that sets it: "session \"S-1\": its 25
  // entries (...) travel in one transaction Bundle, more than the partner's limit of 20
  // (max_bundle_entries, --max-bundle-entries)", for the caller to make a sentence of.
  std::optional<std::string> oversized;
};

// The parts of `bundle` within `limits`, or the session that alone exceeds one (no parts then).
BundleCut cut_transaction(const json::Value& bundle, const BundleLimits& limits);

// The parts of `bundle` within `limits`: the Bundle itself when it fits (or there are no limits).
// A session that alone exceeds a limit throws ExchangeError(configuration) naming the session
// (its Procedure's identifier), its size and the limit; nothing is split then.
std::vector<BundlePart> split_transaction(const json::Value& bundle, const BundleLimits& limits);

}  // namespace mfr::exchange
