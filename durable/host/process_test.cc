#include "durable/host/process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

namespace durable::host {
namespace {

std::string ReadAll(int fd) {
  std::string out;
  char buf[256];
  while (true) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n > 0) {
      out.append(buf, size_t(n));
    } else if (n == 0) {
      return out;
    } else if (errno != EAGAIN && errno != EINTR) {
      return out;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
}

int WaitExit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST(ProcessTest, RunsWithTheGivenEnvironmentDirectoryAndOwnProcessGroup) {
  SpawnOptions o;
  o.argv = {"/bin/sh", "-c", "echo \"$GREETING from $(pwd)\"; echo err >&2; ps -o pgid= $$"};
  o.env = {"GREETING=hello", "PATH=/usr/bin:/bin"};
  o.working_dir = "/tmp";
  auto p = SpawnProcess(o);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  std::string out = ReadAll(p->stdout_fd);
  EXPECT_EQ(ReadAll(p->stderr_fd), "err\n");
  EXPECT_EQ(out.substr(0, out.find('\n')), "hello from /tmp");
  EXPECT_NE(out.find(std::to_string(p->pid)), std::string::npos) << out;  // pgid == pid
  EXPECT_EQ(DescribeExit(WaitExit(p->pid)), "exit status 0");
  close(p->stdout_fd);
  close(p->stderr_fd);
}

TEST(ProcessTest, DescribesExitStatusesAndSignalsLikeLambda) {
  SpawnOptions o;
  o.argv = {"/bin/sh", "-c", "exit 3"};
  auto p = SpawnProcess(o);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(DescribeExit(WaitExit(p->pid)), "exit status 3");
  o.argv = {"/bin/sleep", "30"};
  auto s = SpawnProcess(o);
  ASSERT_TRUE(s.ok());
  SignalProcessGroup(s->pid, SIGKILL);
  EXPECT_EQ(DescribeExit(WaitExit(s->pid)), "signal: killed");
  for (const auto& q : {*p, *s}) {
    close(q.stdout_fd);
    close(q.stderr_fd);
  }
}

TEST(ProcessTest, MissingProgramExitsWith127AndSaysWhy) {
  SpawnOptions o;
  o.argv = {"/nonexistent/program"};
  auto p = SpawnProcess(o);
  ASSERT_TRUE(p.ok());
  EXPECT_NE(ReadAll(p->stderr_fd).find("cannot execute /nonexistent/program"), std::string::npos);
  EXPECT_EQ(DescribeExit(WaitExit(p->pid)), "exit status 127");
  close(p->stdout_fd);
  close(p->stderr_fd);
}

TEST(ProcessTest, ChildIsKilledWhenTheSpawningThreadEnds) {
  SpawnedProcess child;
  std::thread spawner([&] {
    SpawnOptions o;
    o.argv = {"/bin/sh", "-c", "echo ready; exec sleep 30"};
    auto p = SpawnProcess(o);
    ASSERT_TRUE(p.ok());
    child = *p;
    // Once the child runs its program, PR_SET_PDEATHSIG (set before exec) is in place.
    std::string line;
    char c;
    while (line != "ready") {
      ssize_t n = read(child.stdout_fd, &c, 1);
      if (n == 1) {
        line.push_back(c);
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        break;
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
    EXPECT_EQ(line, "ready");
  });
  spawner.join();  // PR_SET_PDEATHSIG fires when this thread exits
  ASSERT_GT(child.pid, 0);
  auto begin = std::chrono::steady_clock::now();
  int status = WaitExit(child.pid);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(10));
  EXPECT_EQ(DescribeExit(status), "signal: killed");
  close(child.stdout_fd);
  close(child.stderr_fd);
}

TEST(ProcessTest, EmptyCommandIsAnError) { EXPECT_FALSE(SpawnProcess(SpawnOptions{}).ok()); }

}  // namespace
}  // namespace durable::host
