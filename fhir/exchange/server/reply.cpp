#include "exchange/server/reply.hpp"

#include "base/utf8.hpp"
#include "model/date_time.hpp"

#include <openssl/rand.h>

#include <chrono>
#include <cstdint>
#include <iterator>
#include <cstdio>
#include <ctime>
#include <random>
#include <stdexcept>

namespace mfr::server {

Reply fhir_reply(int status, std::string body) {
  Reply reply;
  reply.status = status;
  reply.headers.emplace_back("Content-Type", std::string(kFhirJson));
  reply.body = std::move(body);
  return reply;
}

Reply error_reply(int status, std::string_view code, std::string_view diagnostics, std::string_view expression) {
  json::Value issue = json::Value::object();
  issue["severity"] = status >= 500 ? "fatal" : "error";
  issue["code"] = std::string(code);
  // The sentences quote what the client sent (an id, a parameter): bytes that are not UTF-8 become
  // U+FFFD so the OperationOutcome stays valid JSON (found by the fuzzer).
  issue["diagnostics"] = base::utf8::replace_invalid(diagnostics);
  if (!expression.empty()) issue["expression"].push_back(base::utf8::replace_invalid(expression));
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

constexpr char kDays[7][4] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // day 0 of Unix time: a Thursday
constexpr char kMonths[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void put_digits(char* at, unsigned value, int count) {
  for (int i = count - 1; i >= 0; --i, value /= 10) at[i] = static_cast<char>('0' + value % 10);
}

// By hand rather than with strftime, whose day and month names follow the process's locale.
std::string format_http_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::string text = "Thu, 01 Jan 1970 00:00:00 GMT";
  const std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  text.replace(0, 3, kDays[((days % 7) + 7) % 7]);
  put_digits(&text[5], static_cast<unsigned>(tm.tm_mday), 2);
  text.replace(8, 3, kMonths[tm.tm_mon]);
  put_digits(&text[12], static_cast<unsigned>(tm.tm_year + 1900), 4);
  put_digits(&text[17], static_cast<unsigned>(tm.tm_hour), 2);
  put_digits(&text[20], static_cast<unsigned>(tm.tm_min), 2);
  put_digits(&text[23], static_cast<unsigned>(tm.tm_sec), 2);
  return text;
}

}  // namespace

std::string http_date(std::string_view iso) {
  // An instant is a dateTime with a time, which DateTime requires to have seconds and an offset.
  const std::optional<DateTime> instant = DateTime::parse(iso);
  if (!instant || !instant->has_time()) return {};
  return format_http_date(static_cast<std::time_t>(instant->epoch_seconds()));
}

std::string http_date_now() {
  // One text a second per thread: every reply carries it.
  thread_local std::time_t made_for = -1;
  thread_local std::string text;
  const std::time_t now = std::time(nullptr);
  if (now != made_for) {
    text = format_http_date(now);
    made_for = now;
  }
  return text;
}

std::string fhir_instant_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::string text = "0000-00-00T00:00:00.000Z";
  put_digits(&text[0], static_cast<unsigned>(tm.tm_year + 1900), 4);
  put_digits(&text[5], static_cast<unsigned>(tm.tm_mon + 1), 2);
  put_digits(&text[8], static_cast<unsigned>(tm.tm_mday), 2);
  put_digits(&text[11], static_cast<unsigned>(tm.tm_hour), 2);
  put_digits(&text[14], static_cast<unsigned>(tm.tm_min), 2);
  put_digits(&text[17], static_cast<unsigned>(tm.tm_sec), 2);
  put_digits(&text[20], static_cast<unsigned>(ms), 3);
  return text;
}

namespace {

std::string uuid_text(const unsigned char (&b)[16]) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string text(36, '-');
  std::size_t at = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++at;  // the dashes
    text[at++] = kHex[b[i] >> 4];
    text[at++] = kHex[b[i] & 0x0F];
  }
  return text;
}

void random_bytes(unsigned char* out, int size) {
  if (RAND_bytes(out, size) != 1) throw std::runtime_error("the random generator failed to make an id");
}

}  // namespace

std::string random_uuid() {
  unsigned char b[16];
  random_bytes(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  return uuid_text(b);
}

std::string time_ordered_uuid() {
  // The random part from a generator per thread, seeded once by OpenSSL: these ids must differ,
  // not be unguessable (their time is in them), and RAND_bytes costs more than the rest of an
  // AuditEvent. Threads' seeds differ, so their ids do too.
  thread_local std::mt19937_64 engine = [] {
    std::uint32_t seed[8];
    random_bytes(reinterpret_cast<unsigned char*>(seed), sizeof seed);
    std::seed_seq sequence(std::begin(seed), std::end(seed));
    return std::mt19937_64(sequence);
  }();
  unsigned char b[16];
  const std::uint64_t high = engine(), low = engine();
  for (int i = 0; i < 8; ++i) b[8 + i] = static_cast<unsigned char>(low >> (8 * i));
  b[6] = static_cast<unsigned char>(high);
  b[7] = static_cast<unsigned char>(high >> 8);
  const auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));  // 48 bits, big-endian
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x70);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  return uuid_text(b);
}

PreferReturn prefer_return(std::string_view prefer, PreferReturn fallback) {
  if (prefer.find("return=minimal") != std::string_view::npos) return PreferReturn::Minimal;
  if (prefer.find("return=representation") != std::string_view::npos) return PreferReturn::Representation;
  if (prefer.find("return=OperationOutcome") != std::string_view::npos) return PreferReturn::OperationOutcome;
  return fallback;
}

}  // namespace mfr::server
