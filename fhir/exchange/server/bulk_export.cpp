#include "exchange/server/bulk_export.hpp"

#include <fstream>
#include <stdexcept>
#include <system_error>

#include "exchange/server/reply.hpp"
#include "json/json.hpp"
#include "model/date_time.hpp"

namespace mfr::server {

using Steady = std::chrono::steady_clock;

struct ExportJobs::Job {
  std::string id;
  ExportRequest request;
  std::filesystem::path folder;
  std::atomic<bool> cancelled{false};
  std::thread thread;
  std::mutex mutex;  // guards what follows
  ExportStatus status;
  Steady::time_point finished_at{};
};

namespace {

void remove_folder(const std::filesystem::path& folder) {
  std::error_code ignored;  // a folder already gone, or a file still open elsewhere: nothing to do
  std::filesystem::remove_all(folder, ignored);
}

// One NDJSON line: the resource as stored, re-serialised only when it spans lines.
void write_line(std::ofstream& out, const std::string& json) {
  if (json.find_first_of("\r\n") == std::string::npos) out << json << '\n';
  else out << json::Value::parse(json).dump() << '\n';
}

bool updated_since(const store::StoredResource& row, const std::optional<std::int64_t>& since) {
  if (!since) return true;
  const auto updated = DateTime::parse(row.last_updated);
  return !updated || updated->epoch_seconds() >= *since;  // unreadable: exported rather than lost
}

}  // namespace

ExportJobs::ExportJobs(ExportConfig config, std::shared_ptr<store::Store> store, FinishedFn on_finished)
    : config_(std::move(config)), store_(std::move(store)), on_finished_(std::move(on_finished)) {}

ExportJobs::~ExportJobs() { stop_all(); }

std::optional<std::string> ExportJobs::start(ExportRequest request) {
  std::lock_guard lock(mutex_);
  sweep_expired();
  int running = 0;
  for (const auto& [id, job] : jobs_) {
    std::lock_guard job_lock(job->mutex);
    if (job->status.state == ExportStatus::State::Running) ++running;
  }
  if (running >= config_.max_running) return std::nullopt;

  auto job = std::make_shared<Job>();
  job->id = random_uuid();
  job->request = std::move(request);
  job->status.state = ExportStatus::State::Running;
  job->status.progress = "queued";
  job->folder = config_.directory / job->id;
  std::error_code ec;
  std::filesystem::create_directories(job->folder, ec);
  if (ec)
    throw std::runtime_error("the export directory " + job->folder.string() + " cannot be made: " + ec.message());
  jobs_[job->id] = job;
  job->thread = std::thread([this, job] { run(*job); });
  return job->id;
}

void ExportJobs::run(Job& job) {
  std::vector<ExportFile> files;
  std::string error;
  try {
    for (const std::string& type : job.request.types) {
      const std::filesystem::path path = job.folder / (type + ".ndjson");
      std::ofstream out(path, std::ios::binary);
      if (!out) throw std::runtime_error("the export file " + path.string() + " cannot be written");
      ExportFile file{type, type + ".ndjson", 0};
      std::string after;
      for (;;) {
        if (job.cancelled) return;
        const auto rows = store_->current_page(type, after, config_.page_size, job.request.patient_level);
        for (const auto& row : rows)
          if (updated_since(row, job.request.since)) {
            write_line(out, row.json);
            ++file.count;
          }
        {
          std::lock_guard lock(job.mutex);
          job.status.progress = type + ": " + std::to_string(file.count) + " resources written";
        }
        if (rows.size() < config_.page_size) break;
        after = rows.back().id;
      }
      out.close();
      if (!out) throw std::runtime_error("the export file " + path.string() + " could not be written in full");
      if (file.count == 0) std::filesystem::remove(path);
      else files.push_back(std::move(file));
    }
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (job.cancelled) return;
  ExportStatus final_status = [&] {
    std::lock_guard lock(job.mutex);
    return job.status;
  }();
  if (error.empty()) {
    final_status.state = ExportStatus::State::Done;
    final_status.files = std::move(files);
  } else {
    final_status.state = ExportStatus::State::Failed;
    final_status.error = error;
  }
  final_status.progress.clear();
  if (!error.empty()) remove_folder(job.folder);
  // The completion is audited before a poll can see it: a client that has its manifest finds the
  // event already in the trail.
  if (on_finished_) {
    try {
      on_finished_(job.id, job.request, final_status);
    } catch (const std::exception&) {
      // The export stands; the audit trail's store failure shows up in the next write.
    }
  }
  std::lock_guard lock(job.mutex);
  job.status = std::move(final_status);
  job.finished_at = Steady::now();
}

void ExportJobs::sweep_expired() {
  const auto now = Steady::now();
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    Job& job = *it->second;
    bool expired;
    {
      std::lock_guard lock(job.mutex);
      expired = job.status.state != ExportStatus::State::Running && now - job.finished_at >= config_.keep;
    }
    if (!expired) {
      ++it;
      continue;
    }
    if (job.thread.joinable()) job.thread.join();
    remove_folder(job.folder);
    if (expired_.size() >= 10'000) expired_.clear();  // a bound; an old id then reads as unknown (404)
    expired_.insert(it->first);
    it = jobs_.erase(it);
  }
}

std::shared_ptr<ExportJobs::Job> ExportJobs::find(const std::string& job_id, const std::string& client_id) {
  const auto it = jobs_.find(job_id);
  if (it == jobs_.end() || it->second->request.client_id != client_id) return nullptr;
  return it->second;
}

ExportStatus ExportJobs::status(const std::string& job_id, const std::string& client_id) {
  std::lock_guard lock(mutex_);
  sweep_expired();
  const auto job = find(job_id, client_id);
  if (!job) {
    ExportStatus gone;
    gone.state = expired_.count(job_id) ? ExportStatus::State::Expired : ExportStatus::State::Unknown;
    return gone;
  }
  std::lock_guard job_lock(job->mutex);
  ExportStatus status = job->status;
  status.request = job->request;
  return status;
}

bool ExportJobs::remove(const std::string& job_id, const std::string& client_id) {
  std::shared_ptr<Job> job;
  {
    std::lock_guard lock(mutex_);
    sweep_expired();
    job = find(job_id, client_id);
    if (!job) return false;
    jobs_.erase(job_id);
  }
  job->cancelled = true;
  if (job->thread.joinable()) job->thread.join();  // at most one page of work
  remove_folder(job->folder);
  return true;
}

std::optional<std::filesystem::path> ExportJobs::file(const std::string& job_id, const std::string& client_id,
                                                      const std::string& name) {
  std::lock_guard lock(mutex_);
  sweep_expired();
  const auto job = find(job_id, client_id);
  if (!job) return std::nullopt;
  std::lock_guard job_lock(job->mutex);
  if (job->status.state != ExportStatus::State::Done) return std::nullopt;
  for (const ExportFile& f : job->status.files)
    if (f.name == name) return job->folder / f.name;  // names come from our list, never from the URL
  return std::nullopt;
}

void ExportJobs::stop_all() {
  std::map<std::string, std::shared_ptr<Job>> jobs;
  {
    std::lock_guard lock(mutex_);
    jobs.swap(jobs_);
  }
  for (auto& [id, job] : jobs) job->cancelled = true;
  for (auto& [id, job] : jobs) {
    if (job->thread.joinable()) job->thread.join();
    remove_folder(job->folder);
  }
  std::error_code ignored;
  std::filesystem::remove(config_.directory, ignored);  // only when empty: never someone else's files
}

}  // namespace mfr::server
