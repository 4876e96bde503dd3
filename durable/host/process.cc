#include "durable/host/process.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>

namespace durable::host {
namespace {

std::vector<char*> CStrings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const std::string& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

void WriteAll(int fd, const char* s) {
  size_t n = strlen(s);
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w <= 0) return;
    s += w;
    n -= size_t(w);
  }
}

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void ExecChild(pid_t parent, int devnull, int out_w, int err_w, const char* cwd,
                            char* const* argv, char* const* envp) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(126);  // the server died before prctl took effect
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2}) {
    signal(sig, SIG_DFL);
  }
  dup2(devnull, 0);
  dup2(out_w, 1);
  dup2(err_w, 2);
  close_range(3, ~0U, 0);
  if (cwd[0] != '\0' && chdir(cwd) != 0) {
    WriteAll(2, "durable: cannot chdir to the function directory\n");
    _exit(127);
  }
  execvpe(argv[0], argv, envp);
  WriteAll(2, "durable: cannot execute ");
  WriteAll(2, argv[0]);
  WriteAll(2, ": ");
  WriteAll(2, strerror(errno));
  WriteAll(2, "\n");
  _exit(127);
}

}  // namespace

Result<SpawnedProcess> SpawnProcess(const SpawnOptions& options) {
  if (options.argv.empty()) return InvalidArgument("spawn: empty command");
  std::vector<char*> argv = CStrings(options.argv);
  std::vector<char*> envp = CStrings(options.env);
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) return Internal("spawn: pipe failed");
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    return Internal("spawn: pipe failed");
  }
  int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t parent = getpid();
  pid_t pid = devnull < 0 ? -1 : fork();
  if (pid == 0) {
    ExecChild(parent, devnull, out[1], err[1], options.working_dir.c_str(), argv.data(),
              envp.data());
  }
  int fork_errno = errno;
  if (devnull >= 0) close(devnull);
  close(out[1]);
  close(err[1]);
  if (pid < 0) {
    close(out[0]);
    close(err[0]);
    return Internal(std::string("spawn: fork failed: ") + strerror(fork_errno));
  }
  setpgid(pid, pid);  // also done by the child; whichever runs first wins, no race on kill
  fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
  fcntl(err[0], F_SETFL, fcntl(err[0], F_GETFL) | O_NONBLOCK);
  return SpawnedProcess{pid, out[0], err[0]};
}

void SignalProcessGroup(pid_t pgid, int sig) {
  if (pgid > 0) killpg(pgid, sig);
}

std::optional<int> TryReap(pid_t pid) {
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == pid) return status;
  if (r < 0 && errno == ECHILD) return 0;  // reaped elsewhere: treat as a clean exit
  return std::nullopt;
}

std::string DescribeExit(int wait_status) {
  if (WIFEXITED(wait_status)) return "exit status " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) {
    std::string name = strsignal(WTERMSIG(wait_status));
    for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
    return "signal: " + name;
  }
  return "exit status unknown";
}

}  // namespace durable::host
