#pragma once
// The FHIR R4 REST service behind the HTTP server: routing, content negotiation, scopes, the
// interactions (capabilities, read, vread, history, search, create, update, transaction, batch)
// and an AuditEvent for each. Knows nothing of sockets: Request in, Reply out.
//
// Thread safety: handle() may be called from many threads at once. Writes (create, update,
// transaction) are serialised by one mutex, so If-Match and ifNoneExist decisions and the
// version numbers they lead to cannot interleave.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "exchange/server/audit_trail.hpp"
#include "exchange/server/bulk_export.hpp"
#include "exchange/server/http_types.hpp"
#include "exchange/subscription/delivery.hpp"
#include "json/json.hpp"
#include "store/store.hpp"

namespace mfr::server {

struct ServiceConfig {
  std::string base_path = "/fhir";  // where the FHIR base lives on this server ("" = the root)
  // The base as partners reach it ("https://clinic.example.org/fhir", through a proxy perhaps);
  // used in next links, fullUrls and Locations. Empty: made from the Host header.
  std::string public_base_url;
  int default_page_size = 50;
  int max_page_size = 500;
  bool tls = true;  // for the base URL made from the Host header
  // Called after each write is committed, for each resource created or changed, on the thread
  // that handled the request and before the reply is sent.
  std::function<void(const store::StoredResource&)> on_received;
  // Bulk $export: where job folders go (empty: a fresh folder in the system's temp directory),
  // how many jobs run at once, how long a finished job's files are kept.
  std::filesystem::path export_directory;
  int export_max_running = 2;
  std::chrono::seconds export_keep{3600};
  // Subscriptions: an http:// endpoint is taken when it is on a loopback address (tests, a
  // partner's local relay); otherwise endpoints are https:// only. Notifications are sent by a
  // thread of the service when `deliver_subscriptions` (delivery.hpp), endpoints' certificates
  // verified against `subscriber_ca_file` (empty: the system trust store).
  bool allow_http_subscribers = false;
  bool deliver_subscriptions = true;
  subscription::DeliveryOptions subscription_delivery;
};

class FhirService {
 public:
  FhirService(ServiceConfig config, std::shared_ptr<store::Store> store);
  ~FhirService();
  FhirService(const FhirService&) = delete;
  FhirService& operator=(const FhirService&) = delete;

  // Cancels the running $export jobs and removes every job's files (server stop).
  void stop_exports();
  // Waits until every AuditEvent recorded so far is in the store (they are written in batches,
  // within milliseconds; see AuditTrail).
  void flush_audit();

  // True for requests anyone may make without a token (GET metadata).
  bool is_public(const Request& request) const;
  // Answers one request; `caller` is nullopt when no valid token came. Never throws.
  Reply handle(const Request& request, const std::optional<Caller>& caller);

  const ServiceConfig& config() const noexcept { return config_; }

  // Where a request goes, and what the audit trail says about it.
  struct Route {
    enum class Kind {
      Unknown, Base, Metadata, Type, Instance, History, Version,
      Export, ExportStatus, ExportFile,  // [base](/Patient)/$export, $export-poll/{job}, $export-file/{job}/{name}
      SubscriptionStatus                 // Subscription/{id}/$status
    } kind = Kind::Unknown;
    std::string type, id, version;    // for ExportFile, version holds the file name
    std::string export_job;           // the $export job a request started or concerns, for the audit
    std::string query;                 // after '?', undecoded
    std::string interaction;           // "read", "search-type", "transaction", ... (restful-interaction)
    std::vector<std::string> touched;  // "Procedure/7" for each resource read or written
  };

 private:
  Reply dispatch(const Request& request, const Caller& caller, Route& route);
  Reply read(const Request& request, Route& route);
  Reply history(const Request& request, Route& route);
  Reply search(const Request& request, Route& route);
  Reply create(const Request& request, Route& route);
  Reply update(const Request& request, Route& route);
  Reply bundle(const Request& request, Route& route);
  // Subscription create, read, delete, search and $status (subscription_routes.cpp).
  Reply subscription(const Request& request, const Caller& caller, Route& route);
  Reply export_kickoff(const Request& request, const Caller& caller, Route& route);
  Reply export_status(const Request& request, const Caller& caller, Route& route);
  Reply export_file(const Caller& caller, Route& route);
  void audit(const Request& request, const Caller* caller, const Route& route, int status);
  void audit_export_finished(const std::string& job_id, const ExportRequest& request, const ExportStatus& status);
  // The AuditEvent entity naming an $export job (and one of its files).
  static json::Value export_entity(const std::string& job_id, const std::string& file_name);
  std::string base_url(const Request& request) const;

  ServiceConfig config_;
  std::shared_ptr<store::Store> store_;
  std::mutex write_mutex_;
  std::unique_ptr<AuditTrail> audit_trail_;
  std::unique_ptr<subscription::Delivery> delivery_;
  std::unique_ptr<ExportJobs> exports_;  // last: its threads (which audit) stop before the rest goes
};

}  // namespace mfr::server
