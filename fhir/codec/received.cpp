#include "codec/received.hpp"

#include "codec/elements.hpp"

namespace mfr::codec {

json::Value ReceivedResource::writable(bool conditional_allowed) const {
  json::Value v;
  try {
    v = json::Value::parse(json);
  } catch (const json::ParseError&) {
    return {};  // a record not made by import: the encoder writes ours instead
  }
  if (conditional_references && !conditional_allowed) to_logical_references(v);
  return v;
}

}  // namespace mfr::codec
