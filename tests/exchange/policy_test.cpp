#include <catch2/catch.hpp>

#include "exchange/client_assertion.hpp"
#include "exchange/errors.hpp"
#include "exchange/hub.hpp"
#include "exchange/retry_policy.hpp"
#include "exchange/url.hpp"
#include "json/json.hpp"
#include "test_pki.hpp"

using namespace std::chrono_literals;
using namespace mfr::exchange;

TEST_CASE("Retry-After is read as seconds or as an HTTP-date", "[exchange][retry]") {
  CHECK(parse_retry_after("1") == 1000ms);
  CHECK(parse_retry_after(" 120 ") == 120'000ms);
  CHECK_FALSE(parse_retry_after(""));
  CHECK_FALSE(parse_retry_after("-5"));
  CHECK_FALSE(parse_retry_after("soon"));
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0ms);  // in the past: no wait
  const auto later = parse_retry_after("Fri, 01 Jan 2100 00:00:00 GMT");
  REQUIRE(later);
  CHECK(*later > 24h * 365 * 50);
}

TEST_CASE("the retry delay doubles per attempt within its jitter, caps, and honours Retry-After", "[exchange][retry]") {
  RetryPolicy policy;
  policy.initial_backoff = 1000ms;
  policy.max_backoff = 8000ms;
  policy.jitter = 0.2;
  for (int i = 0; i < 50; ++i) {
    const auto first = retry_delay(policy, 2, std::nullopt);
    CHECK(first >= 800ms);
    CHECK(first <= 1200ms);
    const auto third = retry_delay(policy, 4, std::nullopt);
    CHECK(third >= 3200ms);
    CHECK(third <= 4800ms);
    CHECK(retry_delay(policy, 30, std::nullopt) <= 9600ms);
    CHECK(retry_delay(policy, 2, 5000ms) >= 5000ms);
  }
  CHECK(is_retryable_status(429));
  CHECK(is_retryable_status(503));
  CHECK_FALSE(is_retryable_status(400));
  CHECK_FALSE(is_retryable_status(422));
  CHECK_FALSE(is_retryable_status(500));  // a server bug: retrying the same Bundle will not help
}

TEST_CASE("a base URL is split into host, port and path, and unsafe ones are refused", "[exchange][url]") {
  const Endpoint e = parse_endpoint("https://fhir.partner.example.org/r4/", false);
  CHECK(e.tls);
  CHECK(e.host == "fhir.partner.example.org");
  CHECK(e.port == "443");
  CHECK(e.base_path == "/r4");
  CHECK(parse_endpoint("https://[::1]:8443", false).host == "::1");
  CHECK_THROWS_WITH(parse_endpoint("https://user:secret@partner.example.org/fhir", false),
                    "credentials in the URL are refused; use the auth options");
  CHECK_THROWS_WITH(parse_endpoint("ftp://partner.example.org/fhir", false),
                    "'ftp://partner.example.org/fhir' is neither https nor http");
  CHECK_THROWS_AS(parse_endpoint("partner.example.org/fhir", false), ExchangeError);
}

TEST_CASE("a next-page link must stay on the partner's origin, so the token never leaves it", "[exchange][url]") {
  const Endpoint e = parse_endpoint("https://partner.example.org/fhir", false);
  CHECK(same_origin_target(e, "https://partner.example.org:443/fhir/Observation?_count=100&_offset=100") ==
        "/fhir/Observation?_count=100&_offset=100");
  CHECK_THROWS_WITH(same_origin_target(e, "https://evil.example.net/fhir/Observation?page=2"),
                    "the partner's next-page link leaves https://partner.example.org:443");
  CHECK_THROWS_WITH(same_origin_target(e, "http://partner.example.org/fhir/Observation?page=2"),
                    "the partner's next-page link leaves https://partner.example.org:443");
}

TEST_CASE("search values are percent-encoded, so token searches keep their bar", "[exchange][url]") {
  CHECK(encode_query({{"patient:identifier", "https://clinic-lyon.example.org/mrn|884422"}, {"_count", "100"}}) ==
        "patient%3Aidentifier=https%3A%2F%2Fclinic-lyon.example.org%2Fmrn%7C884422&_count=100");
  CHECK(encode_form({{"scope", "system/Observation.read system/Procedure.read"}}) ==
        "scope=system%2FObservation.read+system%2FProcedure.read");
}

TEST_CASE("a SMART client assertion carries the claims the token endpoint checks", "[exchange][smart]") {
  SmartBackendOptions smart;
  smart.token_url = "https://auth.partner.example.org/token";
  smart.client_id = "clinic-lyon";
  smart.key_id = "k1";
  smart.algorithm = "ES384";
  smart.private_key_pem = mfr::test::test_pki().smart_ec_private_pem;
  const auto now = std::chrono::system_clock::now();
  const std::string jwt = make_client_assertion(smart, now);
  const auto dot1 = jwt.find('.');
  const auto dot2 = jwt.find('.', dot1 + 1);
  REQUIRE(dot2 != std::string::npos);
  const auto header = mfr::json::Value::parse(base64url_decode(jwt.substr(0, dot1)));
  const auto claims = mfr::json::Value::parse(base64url_decode(jwt.substr(dot1 + 1, dot2 - dot1 - 1)));
  CHECK(header.string_at("alg") == "ES384");
  CHECK(header.string_at("kid") == "k1");
  CHECK(claims.string_at("iss") == "clinic-lyon");
  CHECK(claims.string_at("sub") == "clinic-lyon");
  CHECK(claims.string_at("aud") == "https://auth.partner.example.org/token");
  const long long issued = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  CHECK(claims.find("exp")->as_integer() == issued + 300);
  CHECK(claims.string_at("jti")->size() == 32);
  CHECK(base64url_decode(jwt.substr(dot2 + 1)).size() == 96);  // r||s, not DER
  CHECK(make_client_assertion(smart, now) != jwt);              // a fresh jti each time
}

TEST_CASE("The hub's policy: outbox keys, what a partner's status means, the lease, UTC times", "[exchange][hub]") {
  // The key is the SHA-256 of the bytes (this one is the digest of "abc" from FIPS 180-2).
  CHECK(outbox_key("abc") == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(outbox_key("abc") != outbox_key("abd"));
  CHECK(kind_of_status(401) == ErrorKind::authorization);
  CHECK(kind_of_status(403) == ErrorKind::authorization);
  CHECK(kind_of_status(408) == ErrorKind::timeout);
  CHECK(kind_of_status(422) == ErrorKind::http_status);
  CHECK(kind_of_status(429) == ErrorKind::unavailable);
  CHECK(kind_of_status(503) == ErrorKind::unavailable);
  ClientOptions options;
  options.timeouts.operation = 10min;
  CHECK(lease_policy({}, options).lease == 11min);  // outlasts the whole send
  options.timeouts.operation = 1s;
  CHECK(lease_policy({}, options).lease == 5min);
  CHECK(iso_utc(mfr::store::Clock::time_point(std::chrono::seconds(1'445'412'480))) == "2015-10-21T07:28:00Z");
}
