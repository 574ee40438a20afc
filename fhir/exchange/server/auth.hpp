#pragma once
// Bearer-token authorisation: each token the clinic hands to a partner has a client name and
// scopes. Tokens are compared in constant time so their bytes cannot be guessed from timings.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/server/http_types.hpp"

namespace mfr::server {

struct TokenGrant {
  std::string client_id;  // "clinic-lyon"
  std::string secret;     // the bearer token itself
  bool read = false;
  bool write = false;
};

// "NAME:SECRET:read,write" -> grant; throws std::invalid_argument with a sentence on bad text.
TokenGrant parse_token_grant(std::string_view text);

class Authorizer {
 public:
  explicit Authorizer(std::vector<TokenGrant> grants);
  // The caller for an `Authorization` header value, or nullopt for none/unknown/malformed.
  std::optional<Caller> check(std::string_view authorization) const;

 private:
  std::vector<TokenGrant> grants_;
};

}  // namespace mfr::server
