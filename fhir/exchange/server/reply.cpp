#include "exchange/server/reply.hpp"

#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace mfr::server {

Reply fhir_reply(int status, std::string body) {
  Reply reply;
  reply.status = status;
  reply.headers.emplace_back("Content-Type", std::string(kFhirJson));
  reply.body = std::move(body);
  return reply;
}

namespace {

// Error sentences quote what the client sent (an id, a parameter); bytes that are not UTF-8 become
// U+FFFD so the OperationOutcome stays valid JSON (found by the fuzzer).
std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = length != 0 && i + length <= text.size();
    for (std::size_t k = 1; ok && k < length; ++k) ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (ok && length > 1) {  // no overlong forms, surrogates or code points past U+10FFFF
      const auto c1 = static_cast<unsigned char>(text[i + 1]);
      ok = !(c == 0xC0 || c == 0xC1 || (c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) ||
             (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90) || c > 0xF4);
    }
    if (ok) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

}  // namespace

Reply error_reply(int status, std::string_view code, std::string_view diagnostics, std::string_view expression) {
  json::Value issue = json::Value::object();
  issue["severity"] = status >= 500 ? "fatal" : "error";
  issue["code"] = std::string(code);
  issue["diagnostics"] = valid_utf8(diagnostics);
  if (!expression.empty()) issue["expression"].push_back(valid_utf8(expression));
  json::Value outcome = json::Value::object();
  outcome["resourceType"] = "OperationOutcome";
  outcome["issue"].push_back(std::move(issue));
  return fhir_reply(status, outcome.dump());
}

Reply issues_reply(int status, const std::vector<validate::Issue>& issues) {
  return fhir_reply(status, validate::to_operation_outcome(issues).dump());
}

void add_version_headers(Reply& reply, const store::StoredResource& stored, const std::string& base_url,
                         bool location) {
  reply.headers.emplace_back("ETag", "W/\"" + stored.version_id + "\"");
  if (std::string date = http_date(stored.last_updated); !date.empty())
    reply.headers.emplace_back("Last-Modified", std::move(date));
  if (location)
    reply.headers.emplace_back("Location",
                               base_url + "/" + stored.type + "/" + stored.id + "/_history/" + stored.version_id);
}

namespace {

std::string format_http_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return text;
}

}  // namespace

std::string http_date(std::string_view iso) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::string text(iso);
  int used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute, &second, &used) != 6)
    return {};
  std::size_t at = static_cast<std::size_t>(used);
  if (at < text.size() && text[at] == '.')
    for (++at; at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])); ++at) {
    }
  long offset = 0;
  if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    int oh = 0, om = 0;
    if (std::sscanf(text.c_str() + at + 1, "%2d:%2d", &oh, &om) != 2) return {};
    offset = (text[at] == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
  } else if (at >= text.size() || text[at] != 'Z') {
    return {};
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return format_http_date(timegm(&tm) - offset);
}

std::string http_date_now() { return format_http_date(std::time(nullptr)); }

std::string fhir_instant_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return text;
}

std::string random_uuid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("the random generator failed to make an id");
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  char text[40];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return text;
}

PreferReturn prefer_return(std::string_view prefer, PreferReturn fallback) {
  if (prefer.find("return=minimal") != std::string_view::npos) return PreferReturn::Minimal;
  if (prefer.find("return=representation") != std::string_view::npos) return PreferReturn::Representation;
  if (prefer.find("return=OperationOutcome") != std::string_view::npos) return PreferReturn::OperationOutcome;
  return fallback;
}

}  // namespace mfr::server
