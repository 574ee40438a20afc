#include "codec/check.hpp"

#include "codec/elements.hpp"

namespace mfr::codec {
namespace {

std::string identity(const json::Value& resource) {
  const auto type = resource.string_at("resourceType");
  if (!type) return {};
  const auto id = resource.string_at("id");
  return id ? std::string(*type) + "/" + std::string(*id) : std::string(*type);
}

// The resource an issue is about: the Bundle entry its expression names, else the document.
std::string resource_of(const json::Value& doc, std::string_view expression) {
  if (const std::size_t n = entry_index(expression); n != std::string_view::npos) {
    const json::Value* entries = doc.find("entry");
    if (entries && entries->is_array() && n < entries->size())
      if (const json::Value* r = entries->as_array()[n].find("resource"); r && r->is_object()) return identity(*r);
  }
  return identity(doc);
}

void check_one(std::string_view text, std::size_t line_no, validate::Strictness strictness, CheckResult& out) {
  json::Value doc;
  try {
    doc = json::Value::parse(text);
  } catch (const json::ParseError& e) {
    out.issues.push_back(validate::parse_error_issue(e, line_no));
    if (!line_no) out.malformed = true;
    ++out.resources;
    return;
  }
  const json::Value* entries = doc.string_at("resourceType") == "Bundle" ? doc.find("entry") : nullptr;
  out.resources += entries && entries->is_array() ? entries->size() : 1;
  for (Issue& issue : validate::validate(doc, strictness)) {
    issue.record = line_no;
    if (line_no) issue.where.line = static_cast<std::uint32_t>(line_no);
    issue.resource = resource_of(doc, issue.expression);
    out.issues.push_back(std::move(issue));
  }
}

}  // namespace

CheckResult check_document(std::string_view text, bool ndjson, validate::Strictness strictness) {
  CheckResult out;
  if (!ndjson) {
    check_one(text, 0, strictness, out);
    return out;
  }
  for_each_ndjson_line(text, [&](std::string_view line, std::size_t line_no) { check_one(line, line_no, strictness, out); });
  return out;
}

}  // namespace mfr::codec
