#include "exchange/subscription/subscription.hpp"

#include <algorithm>

namespace mfr::subscription {
namespace {

using validate::Issue;
using validate::IssueType;
using validate::Severity;

// The one sink (validate/issue.hpp); every Subscription issue is an error at an element.
class Issues : public validate::IssueSink {
 public:
  explicit Issues(std::vector<Issue>& out) : IssueSink(out) {}
  void add(IssueType code, std::string expression, std::string diagnostics, const json::Value* at) {
    IssueSink::add(Severity::Error, code, std::move(expression), std::move(diagnostics),
                   at ? at->position() : json::Position{});
  }
};

// The extensions of `url` on an element's `_name` companion (or the element itself).
std::vector<const json::Value*> extensions(const json::Value* holder, std::string_view url) {
  std::vector<const json::Value*> found;
  if (!holder || !holder->is_object()) return found;
  const json::Value* list = holder->find("extension");
  if (!list || !list->is_array()) return found;
  for (const json::Value& extension : list->as_array())
    if (extension.is_object() && extension.string_at("url") == std::optional<std::string_view>(url))
      found.push_back(&extension);
  return found;
}

bool token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Headers a partner may not set: they belong to the connection or the notification itself.
bool reserved_header(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (std::string_view reserved : {"host", "content-length", "content-type", "transfer-encoding", "connection"})
    if (lower == reserved) return true;
  return false;
}

void read_endpoint(const json::Value& channel, const EndpointRules& rules, SubscriptionRequest& out, Issues& issues) {
  const json::Value* endpoint = channel.find("endpoint");
  if (!endpoint || !endpoint->is_string() || endpoint->as_string().empty()) {
    issues.add(IssueType::Required, "Subscription.channel.endpoint", "a rest-hook Subscription needs an endpoint",
               &channel);
    return;
  }
  const std::string_view url = endpoint->as_string();
  if (url.size() > kMaxEndpointLength) {
    issues.add(IssueType::Value, "Subscription.channel.endpoint",
               "the endpoint is longer than " + std::to_string(kMaxEndpointLength) + " characters", endpoint);
  } else if (url.starts_with("https://") && url.size() > 8) {
    out.endpoint = std::string(url);
  } else if (url.starts_with("http://")) {
    if (!rules.allow_http_loopback || !loopback_url(url))
      issues.add(IssueType::Value, "Subscription.channel.endpoint",
                 rules.allow_http_loopback
                     ? "an http:// endpoint must be on a loopback address (127.0.0.1, [::1]); use https://"
                     : "the endpoint must be https:// (this server verifies the endpoint's certificate)",
                 endpoint);
    else
      out.endpoint = std::string(url);
  } else {
    issues.add(IssueType::Value, "Subscription.channel.endpoint", "the endpoint '" + std::string(url) +
               "' is not an https:// URL", endpoint);
  }
}

void read_headers(const json::Value& channel, SubscriptionRequest& out, Issues& issues) {
  const json::Value* headers = channel.find("header");
  if (!headers) return;
  if (!headers->is_array()) {
    issues.add(IssueType::Structure, "Subscription.channel.header", "header is a list of \"Name: value\" strings",
               headers);
    return;
  }
  if (headers->size() > kMaxHeaders)
    issues.add(IssueType::Value, "Subscription.channel.header",
               "at most " + std::to_string(kMaxHeaders) + " headers are sent with a notification", headers);
  for (std::size_t i = 0; i < headers->size() && i < kMaxHeaders; ++i) {
    const json::Value& line = headers->as_array()[i];
    const std::string where = "Subscription.channel.header[" + std::to_string(i) + "]";
    if (!line.is_string()) {
      issues.add(IssueType::Structure, where, "a header is a \"Name: value\" string", &line);
      continue;
    }
    const std::string_view text = line.as_string();
    const auto colon = text.find(':');
    const std::string_view name = text.substr(0, colon);
    if (text.size() > kMaxHeaderLength) {
      issues.add(IssueType::Value, where, "the header is longer than " + std::to_string(kMaxHeaderLength) +
                 " characters", &line);
    } else if (colon == std::string_view::npos || name.empty() || !std::all_of(name.begin(), name.end(), token_char)) {
      issues.add(IssueType::Value, where, "a header is \"Name: value\" with an HTTP token as its name", &line);
    } else if (text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
      issues.add(IssueType::Value, where, "a header may not hold CR, LF or NUL", &line);
    } else if (reserved_header(name)) {
      issues.add(IssueType::Value, where, "the header " + std::string(name) + " is set by the server itself", &line);
    } else {
      std::string_view value = text.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
      out.headers.emplace_back(std::string(name), std::string(value));
    }
  }
}

void read_payload(const json::Value& channel, SubscriptionRequest& out, Issues& issues) {
  const json::Value* payload = channel.find("payload");
  if (!payload || !payload->is_string()) {
    issues.add(IssueType::Required, "Subscription.channel.payload",
               "the payload must be application/fhir+json (notifications are FHIR Bundles)", &channel);
    return;
  }
  const std::string_view type = payload->as_string();
  if (type != "application/fhir+json" && type != "application/json")
    issues.add(IssueType::Value, "Subscription.channel.payload",
               "the payload '" + std::string(type) + "' is not served; notifications are application/fhir+json",
               payload);
  const auto contents = extensions(channel.find("_payload"), kPayloadContent);
  if (contents.size() > 1)
    issues.add(IssueType::Structure, "Subscription.channel.payload.extension", "backport-payload-content is given more than once",
               contents[1]);
  if (contents.empty()) return;
  const auto code = contents[0]->string_at("valueCode");
  if (code == std::optional<std::string_view>("id-only")) out.content = Content::IdOnly;
  else if (code == std::optional<std::string_view>("full-resource")) out.content = Content::FullResource;
  else if (code == std::optional<std::string_view>("empty")) out.content = Content::Empty;
  else
    issues.add(IssueType::CodeInvalid, "Subscription.channel.payload.extension",
               "backport-payload-content is a valueCode of empty, id-only or full-resource", contents[0]);
}

void read_heartbeat(const json::Value& channel, SubscriptionRequest& out, Issues& issues) {
  const auto periods = extensions(&channel, kHeartbeatPeriod);
  if (periods.empty()) return;
  const json::Value* value = periods[0]->find("valueUnsignedInt");
  const auto seconds = value ? value->as_integer() : std::nullopt;
  if (periods.size() > 1 || !seconds || *seconds < 1 || *seconds > kMaxHeartbeatSeconds)
    issues.add(IssueType::Value, "Subscription.channel.extension",
               "backport-heartbeat-period is one valueUnsignedInt of 1 to " + std::to_string(kMaxHeartbeatSeconds) +
                   " seconds",
               periods[0]);
  else
    out.heartbeat_seconds = static_cast<unsigned>(*seconds);
}

}  // namespace

std::string_view to_code(Content content) noexcept {
  switch (content) {
    case Content::Empty: return "empty";
    case Content::IdOnly: return "id-only";
    case Content::FullResource: return "full-resource";
  }
  return "id-only";
}

bool loopback_url(std::string_view url) noexcept {
  for (std::string_view scheme : {"http://", "https://"})
    if (url.starts_with(scheme)) {
      url.remove_prefix(scheme.size());
      std::string_view authority = url.substr(0, url.find_first_of("/?#"));
      if (authority.find('@') != std::string_view::npos) return false;
      std::string_view host;
      if (authority.starts_with('[')) {
        host = authority.substr(0, authority.find(']') + 1);
      } else {
        host = authority.substr(0, authority.find(':'));
      }
      if (host == "[::1]" || host == "localhost") return true;
      if (!host.starts_with("127.")) return false;
      int dots = 0;
      for (char c : host) {
        if (c == '.') ++dots;
        else if (c < '0' || c > '9') return false;
      }
      return dots == 3;
    }
  return false;
}

std::variant<SubscriptionRequest, std::vector<validate::Issue>> read_subscription(const json::Value& resource,
                                                                                   const EndpointRules& rules) {
  SubscriptionRequest out;
  std::vector<Issue> found;
  Issues issues(found);
  if (!resource.is_object() || resource.string_at("resourceType") != std::optional<std::string_view>("Subscription")) {
    issues.add(IssueType::Invalid, "Subscription", "the body is not a Subscription resource", &resource);
    return found;
  }
  // R4: a client creates a Subscription as requested; the server makes it active (after the
  // handshake) or error.
  const auto status = resource.string_at("status");
  if (!status)
    issues.add(IssueType::Required, "Subscription.status", "status is required (requested)", &resource);
  else if (*status != "requested")
    issues.add(IssueType::Value, "Subscription.status",
               "a new Subscription is 'requested', not '" + std::string(*status) + "'; the server sets it active",
               resource.find("status"));
  if (!resource.string_at("reason"))
    issues.add(IssueType::Required, "Subscription.reason", "reason is required (R4 Subscription.reason 1..1)",
               &resource);
  const auto criteria = resource.string_at("criteria");
  if (!criteria)
    issues.add(IssueType::Required, "Subscription.criteria",
               "criteria is required: the topic's canonical URL " + std::string(kTopicUrl), &resource);
  else if (*criteria != kTopicUrl)
    issues.add(IssueType::NotSupported, "Subscription.criteria",
               "the topic '" + std::string(*criteria) + "' is not offered here; the topic is " + std::string(kTopicUrl),
               resource.find("criteria"));
  for (const json::Value* filter : extensions(resource.find("_criteria"), kFilterCriteria)) {
    const auto text = filter->string_at("valueString");
    if (!text) {
      issues.add(IssueType::Structure, "Subscription.criteria.extension",
                 "backport-filter-criteria carries a valueString", filter);
      continue;
    }
    auto parsed = parse_filter(*text);
    if (auto* error = std::get_if<std::string>(&parsed))
      issues.add(IssueType::NotSupported, "Subscription.criteria.extension", *error, filter);
    else
      out.filters.push_back(std::get<Filter>(std::move(parsed)));
  }
  const json::Value* channel = resource.find("channel");
  if (!channel || !channel->is_object()) {
    issues.add(IssueType::Required, "Subscription.channel", "channel is required (a rest-hook)", &resource);
  } else {
    const auto type = channel->string_at("type");
    if (type != std::optional<std::string_view>("rest-hook"))
      issues.add(IssueType::NotSupported, "Subscription.channel.type",
                 "the channel type must be rest-hook (the only one this server sends)",
                 channel->find("type") ? channel->find("type") : channel);
    read_endpoint(*channel, rules, out, issues);
    read_headers(*channel, out, issues);
    read_payload(*channel, out, issues);
    read_heartbeat(*channel, out, issues);
  }
  if (!found.empty()) return found;
  return out;
}

}  // namespace mfr::subscription
