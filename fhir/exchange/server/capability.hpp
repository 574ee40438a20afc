#pragma once
// The CapabilityStatement GET [base]/metadata returns: what this server really does.
#include <string>

#include "json/json.hpp"

namespace mfr::server {

json::Value capability_statement(const std::string& base_url);

}  // namespace mfr::server
