#include "store/process_identity.hpp"

#include <unistd.h>

#include <climits>
#include <fstream>
#include <sstream>
#include <string>

namespace mfr::store {
namespace {

std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// Field 22 of /proc/<pid>/stat; 0 when there is no such process. The command name (field 2)
// may hold spaces and parentheses, so fields are counted after its last ')'.
std::int64_t start_time(std::int64_t pid) {
  const std::string stat = first_line("/proc/" + std::to_string(pid) + "/stat");
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int i = 3; i <= 22; ++i)
    if (!(fields >> field)) return 0;
  try {
    return std::stoll(field);
  } catch (const std::exception&) {
    return 0;
  }
}

ProcessIdentity compute() {
  ProcessIdentity me;
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) == 0) me.host = name;
  me.boot = first_line("/proc/sys/kernel/random/boot_id");
  me.pid = static_cast<std::int64_t>(::getpid());
  me.start = start_time(me.pid);
  return me;
}

}  // namespace

const ProcessIdentity& this_process() {
  // A forked child is another process: the cache is keyed by the pid it was made for.
  thread_local ProcessIdentity me;
  if (me.pid != static_cast<std::int64_t>(::getpid())) me = compute();
  return me;
}

bool is_gone(const ProcessIdentity& holder) {
  const ProcessIdentity& me = this_process();
  if (holder.pid <= 0 || holder.host.empty() || holder.host != me.host || me.boot.empty()) return false;
  if (holder.boot != me.boot) return true;  // this machine rebooted since the claim
  if (me.start == 0) return false;          // no /proc here: cannot tell
  return start_time(holder.pid) != holder.start;
}

}  // namespace mfr::store
