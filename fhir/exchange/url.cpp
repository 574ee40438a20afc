#include "exchange/url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "exchange/errors.hpp"

namespace mfr::exchange {
namespace {

std::string percent_encode(std::string_view text, bool space_as_plus) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ' && space_as_plus) {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string join(const std::vector<std::pair<std::string, std::string>>& params, bool form) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += percent_encode(name, form);
    out += '=';
    out += percent_encode(value, form);
  }
  return out;
}

}  // namespace

std::string Endpoint::origin() const { return (tls ? "https://" : "http://") + host + ":" + port; }

Endpoint parse_endpoint(std::string_view url, bool allow_insecure_http) {
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed)
    throw ExchangeError(ErrorKind::configuration, "'" + std::string(url) + "' is not an absolute URL");
  const boost::urls::url_view view = *parsed;
  Endpoint endpoint;
  const std::string scheme = view.scheme();
  if (scheme == "https") {
    endpoint.tls = true;
  } else if (scheme == "http") {
    if (!allow_insecure_http)
      throw ExchangeError(ErrorKind::configuration,
                          "refusing plain http:// for '" + std::string(view.host()) +
                              "': use https, or set allow_insecure_http for a loopback test");
    endpoint.tls = false;
  } else {
    throw ExchangeError(ErrorKind::configuration, "'" + std::string(url) + "' is neither https nor http");
  }
  if (view.has_userinfo())
    throw ExchangeError(ErrorKind::configuration, "credentials in the URL are refused; use the auth options");
  endpoint.host = view.host_type() == boost::urls::host_type::ipv6 ? std::string(view.encoded_host_address())
                                                                   : std::string(view.host_address());
  if (endpoint.host.empty()) throw ExchangeError(ErrorKind::configuration, "'" + std::string(url) + "' has no host");
  endpoint.port = view.has_port() ? std::string(view.port()) : (endpoint.tls ? "443" : "80");
  endpoint.base_path = std::string(view.encoded_path());
  while (!endpoint.base_path.empty() && endpoint.base_path.back() == '/') endpoint.base_path.pop_back();
  return endpoint;
}

std::string same_origin_target(const Endpoint& endpoint, std::string_view url) {
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) throw ExchangeError(ErrorKind::protocol, "the partner's next-page link is not an absolute URL");
  Endpoint other;
  try {
    other = parse_endpoint(url, !endpoint.tls);
  } catch (const ExchangeError&) {
    throw ExchangeError(ErrorKind::protocol, "the partner's next-page link leaves " + endpoint.origin());
  }
  if (other.origin() != endpoint.origin())
    throw ExchangeError(ErrorKind::protocol, "the partner's next-page link leaves " + endpoint.origin());
  std::string target(parsed->encoded_path());
  if (target.empty()) target = "/";
  if (parsed->has_query()) target += "?" + std::string(parsed->encoded_query());
  return target;
}

std::string encode_query(const std::vector<std::pair<std::string, std::string>>& params) {
  return join(params, false);
}

std::string encode_form(const std::vector<std::pair<std::string, std::string>>& fields) { return join(fields, true); }

}  // namespace mfr::exchange
