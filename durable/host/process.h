// Starting and stopping function processes: fork + exec in a new process group, stdin from
// /dev/null, stdout/stderr to non-blocking pipes, killed (SIGKILL) when the thread that spawned
// it dies (PR_SET_PDEATHSIG). Functions are thread-safe; call SpawnProcess from a long-lived
// thread because the death signal follows the spawning *thread*.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "durable/base/result.h"

namespace durable::host {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] without '/' is looked up in PATH
  std::vector<std::string> env;   // "KEY=VALUE", the complete environment
  std::string working_dir;        // empty = inherit
};

struct SpawnedProcess {
  pid_t pid = -1;  // also the process group id
  int stdout_fd = -1;
  int stderr_fd = -1;
};

Result<SpawnedProcess> SpawnProcess(const SpawnOptions& options);
// Sends `sig` to the whole process group `pgid` (ignores errors: it may be gone already).
void SignalProcessGroup(pid_t pgid, int sig);
// waitpid(WNOHANG): the wait status once the process has exited, nullopt while it runs.
std::optional<int> TryReap(pid_t pid);
// "exit status 3", "signal: killed", like Lambda's Runtime.ExitError messages.
std::string DescribeExit(int wait_status);

}  // namespace durable::host
