#pragma once
// Who holds an outbox lease: the sending process, named so that another process on the same
// machine can tell whether it is still alive. A process id alone is not enough (ids are reused),
// so the process's start time (ticks since boot, /proc/<pid>/stat) and the boot's id go with it.
#include <cstdint>
#include <string>

namespace mfr::store {

struct ProcessIdentity {
  std::string host;        // the machine's host name
  std::string boot;        // /proc/sys/kernel/random/boot_id: a reboot makes every holder gone
  std::int64_t pid = 0;
  std::int64_t start = 0;  // the process's start time, in clock ticks after boot
};

// This process (computed once).
const ProcessIdentity& this_process();

// True only when `holder` was on this machine, since its last boot or an earlier one, and no
// process runs with its id and start time any more. A holder on another machine (or one this
// platform cannot check) is never known to be gone: its lease has to run out.
bool is_gone(const ProcessIdentity& holder);

}  // namespace mfr::store
