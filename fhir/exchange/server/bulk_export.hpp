#pragma once
// Bulk Data $export jobs: each runs on a thread of its own (never on the HTTP pool), walks the
// store page by page and writes one NDJSON file per resource type into a folder of the export
// directory. Folders go on cancel, on expiry and when the jobs object is destroyed (server stop).
// Knows nothing of HTTP: the service turns its answers into replies.
//
// A job belongs to the client that started it: status, files and cancel answer that client only.
// Thread safety: every member may be called from any thread.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/store.hpp"

namespace mfr::server {

struct ExportConfig {
  std::filesystem::path directory;           // job folders go here; created when needed
  int max_running = 2;                       // jobs running at once; more are refused (429)
  std::chrono::seconds keep{3600};           // a finished job's files live this long after it ends
  std::size_t page_size = 500;               // resources read from the store per lock
};

struct ExportRequest {
  std::string client_id;                  // the owner
  std::vector<std::string> types;         // "Procedure", "Observation"
  std::optional<std::int64_t> since;      // epoch seconds: only resources last updated at or after
  bool patient_level = false;             // Patient/$export: resources with a patient reference only
  std::string request_url;                // the kick-off URL, for the manifest
  std::string transaction_time;           // the kick-off instant, for the manifest
};

struct ExportFile {
  std::string type;
  std::string name;  // "Observation.ndjson"
  std::size_t count = 0;
};

struct ExportStatus {
  enum class State { Unknown, Expired, Running, Done, Failed } state = State::Unknown;
  std::string progress;            // while running: "Observation: 1500 resources written"
  std::string error;               // when failed
  std::vector<ExportFile> files;   // when done: the non-empty files
  ExportRequest request;
};

class ExportJobs {
 public:
  // Called on the job's thread when a job ends (done, failed), for the audit trail.
  using FinishedFn = std::function<void(const std::string& job_id, const ExportRequest&, const ExportStatus&)>;

  ExportJobs(ExportConfig config, std::shared_ptr<store::Store> store, FinishedFn on_finished);
  ~ExportJobs();  // stop_all()
  ExportJobs(const ExportJobs&) = delete;
  ExportJobs& operator=(const ExportJobs&) = delete;

  // Starts a job; nullopt when max_running jobs are already running. Throws std::runtime_error
  // when the export directory cannot be made.
  std::optional<std::string> start(ExportRequest request);
  ExportStatus status(const std::string& job_id, const std::string& client_id);
  // Cancels a running job or removes a finished one, with its files; false when unknown.
  bool remove(const std::string& job_id, const std::string& client_id);
  // The path of one output file of a finished job, or nullopt.
  std::optional<std::filesystem::path> file(const std::string& job_id, const std::string& client_id,
                                            const std::string& name);
  // Cancels every job, joins their threads and removes their folders.
  void stop_all();

 private:
  struct Job;
  void run(Job& job);
  void sweep_expired();  // with mutex_ held
  std::shared_ptr<Job> find(const std::string& job_id, const std::string& client_id);

  ExportConfig config_;
  std::shared_ptr<store::Store> store_;
  FinishedFn on_finished_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::set<std::string> expired_;  // ids of jobs removed by expiry: 410 rather than 404
};

}  // namespace mfr::server
