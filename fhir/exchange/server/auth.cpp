#include "exchange/server/auth.hpp"

#include <openssl/crypto.h>

#include <stdexcept>

namespace mfr::server {

TokenGrant parse_token_grant(std::string_view text) {
  const auto first = text.find(':');
  const auto last = text.rfind(':');
  if (first == std::string_view::npos || first == last)
    throw std::invalid_argument("a token is written NAME:SECRET:SCOPES (scopes read, write), not '" +
                                std::string(text.substr(0, first)) + ":...'");
  TokenGrant grant;
  grant.client_id = std::string(text.substr(0, first));
  grant.secret = std::string(text.substr(first + 1, last - first - 1));
  std::string_view scopes = text.substr(last + 1);
  while (!scopes.empty()) {
    const auto comma = scopes.find(',');
    const std::string_view scope = scopes.substr(0, comma);
    if (scope == "read") grant.read = true;
    else if (scope == "write") grant.write = true;
    else throw std::invalid_argument("token '" + grant.client_id + "' has an unknown scope '" + std::string(scope) +
                                     "' (read and write are known)");
    scopes = comma == std::string_view::npos ? std::string_view() : scopes.substr(comma + 1);
  }
  if (grant.client_id.empty()) throw std::invalid_argument("a token needs a client name before the first ':'");
  if (grant.secret.size() < 16)
    throw std::invalid_argument("token '" + grant.client_id + "' is shorter than 16 characters: too easy to guess");
  if (!grant.read && !grant.write) throw std::invalid_argument("token '" + grant.client_id + "' has no scope");
  return grant;
}

Authorizer::Authorizer(std::vector<TokenGrant> grants) : grants_(std::move(grants)) {}

std::optional<Caller> Authorizer::check(std::string_view authorization) const {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i)  // the scheme is case-insensitive (RFC 7235)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != std::tolower(static_cast<unsigned char>(kScheme[i])))
      return std::nullopt;
  const std::string_view token = authorization.substr(kScheme.size());
  std::optional<Caller> found;
  for (const TokenGrant& grant : grants_) {  // every grant is compared, so timing says nothing
    const bool same = grant.secret.size() == token.size() &&
                      CRYPTO_memcmp(grant.secret.data(), token.data(), token.size()) == 0;
    if (same && !found) found = Caller{grant.client_id, grant.read, grant.write};
  }
  return found;
}

}  // namespace mfr::server
