// quick_bench: measures the engine in-process with the C++ SDK and a real SQLite store
// (synchronous=FULL unless --sync says otherwise).
//   quick_bench b1 [--steps N] [--db PATH]              one execution of N sequential steps
//   quick_bench b2 [--execs M] [--conc C] [--steps S]   M executions of S steps, C in flight
//   quick_bench b4 [--execs M]                          M executions started at once, each
//       records the time in a step, waits 1 s, then a step measures its lateness
// Prints one line of figures per run, plus bytes on disk per step (after a WAL checkpoint).
// Single-threaded driver; the engine and the invoker pool run the work.
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "durable/base/clock.h"
#include "durable/engine/engine.h"
#include "durable/host/in_process_invoker.h"
#include "durable/server/in_process_sdk.h"
#include "durable/store/sqlite/sqlite_store.h"

using namespace durable;
using Clk = std::chrono::steady_clock;

namespace {

struct Args {
  std::string mode = "b1";
  int steps = 1000;
  int execs = 2000;
  int conc = 200;
  int threads = 0;  // invoker threads; 0 = conc (b2) or 8 (b1)
  std::string db = "/tmp/quick_bench.db";
  std::string sync = "FULL";
  int payload = 0;  // bytes of each step's result string (0 = the step index)
};

int64_t FileSize(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 ? st.st_size : 0;
}

double CpuSeconds() {
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (argc > 1) a.mode = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    std::string v = argv[i + 1];
    if (k == "--steps")
      a.steps = std::stoi(v);
    else if (k == "--execs")
      a.execs = std::stoi(v);
    else if (k == "--conc")
      a.conc = std::stoi(v);
    else if (k == "--threads")
      a.threads = std::stoi(v);
    else if (k == "--db")
      a.db = v;
    else if (k == "--sync")
      a.sync = v;
    else if (k == "--payload")
      a.payload = std::stoi(v);
    else {
      std::fprintf(stderr, "unknown flag %s\n", k.c_str());
      return 2;
    }
  }
  for (const char* suffix : {"", "-wal", "-shm"}) unlink((a.db + suffix).c_str());
  store::SqliteOptions so;
  so.synchronous = a.sync == "OFF"      ? store::SqliteOptions::Synchronous::kOff
                   : a.sync == "NORMAL" ? store::SqliteOptions::Synchronous::kNormal
                                        : store::SqliteOptions::Synchronous::kFull;
  auto st = store::OpenSqliteStore(a.db, so);
  if (!st.ok()) {
    std::fprintf(stderr, "open: %s\n", st.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<store::Store> store = std::move(st).value();
  int threads = a.threads > 0 ? a.threads : (a.mode == "b2" ? a.conc : 8);
  host::InProcessInvoker invoker(threads);
  engine::EngineOptions eo;
  auto engine = engine::Engine::Create(store.get(), &invoker, SystemClock::Get(), eo);
  const int steps = a.steps;
  const std::string pad(a.payload, 'x');
  invoker.Register("steps", server::MakeInProcessHandler(
                                *engine, [steps, pad](sdk::DurableContext& ctx, const sdk::Json&) {
                                  sdk::Json last;
                                  for (int i = 0; i < steps; ++i) {
                                    if (pad.empty()) {
                                      last = ctx.Step("s", [i] { return i; });
                                    } else {
                                      last = ctx.Step("s", [&pad] { return pad; });
                                    }
                                  }
                                  return last;
                                }));
  invoker.Register(
      "waiter",
      server::MakeInProcessHandler(*engine, [](sdk::DurableContext& ctx, const sdk::Json&) {
        int64_t t0 = ctx.Step("t0", [] { return SystemClock::Get()->NowMs(); });
        ctx.Wait("w", std::chrono::seconds(1));
        return ctx.Step("late", [t0] { return SystemClock::Get()->NowMs() - (t0 + 1000); });
      }));
  engine::FunctionConfig wc;
  wc.name = "waiter";
  engine->RegisterFunction(wc);
  engine::FunctionConfig fc;
  fc.name = "steps";

  engine->RegisterFunction(fc);
  if (auto s = engine->Start(); !s.ok()) {
    std::fprintf(stderr, "start: %s\n", s.ToString().c_str());
    return 1;
  }

  auto run_one = [&](int idx) -> bool {
    model::StartRequest req;
    req.function_name = "steps";
    req.durable_execution_name = "e" + std::to_string(idx);
    req.payload = "{}";
    auto r = engine->StartExecution(req);
    if (!r.ok()) {
      std::fprintf(stderr, "start exec: %s\n", r.status().ToString().c_str());
      return false;
    }
    auto done = engine->AwaitClosed(r->execution.arn, std::chrono::minutes(10));
    if (!done.ok() || done->status != model::ExecutionStatus::kSucceeded) {
      std::fprintf(stderr, "execution did not succeed\n");
      return false;
    }
    return true;
  };

  double cpu0 = CpuSeconds();
  int64_t total_steps = 0;
  if (a.mode == "b1") {
    auto t0 = Clk::now();
    if (!run_one(0)) return 1;
    double us = std::chrono::duration<double, std::micro>(Clk::now() - t0).count();
    total_steps = steps;
    std::printf("B1 steps=%d sync=%s total_ms=%.1f us_per_step=%.1f cpu_s=%.2f\n", steps,
                a.sync.c_str(), us / 1000, us / steps, CpuSeconds() - cpu0);
  } else if (a.mode == "b4") {
    auto rss_kb = [] {
      long pages = 0, resident = 0;
      FILE* f = std::fopen("/proc/self/statm", "r");
      if (f != nullptr) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        std::fclose(f);
      }
      return resident * (sysconf(_SC_PAGESIZE) / 1024);
    };
    long rss0 = rss_kb();
    std::vector<std::string> arns;
    auto t0 = Clk::now();
    for (int i = 0; i < a.execs; ++i) {
      model::StartRequest req;
      req.function_name = "waiter";
      req.durable_execution_name = "w" + std::to_string(i);
      req.payload = "{}";
      auto r = engine->StartExecution(req);
      if (!r.ok()) {
        std::fprintf(stderr, "start: %s\n", r.status().ToString().c_str());
        return 1;
      }
      arns.push_back(r->execution.arn);
    }
    double start_s = std::chrono::duration<double>(Clk::now() - t0).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    long rss1 = rss_kb();
    std::vector<double> late;
    for (const auto& arn : arns) {
      auto done = engine->AwaitClosed(arn, std::chrono::minutes(10));
      if (!done.ok() || done->status != model::ExecutionStatus::kSucceeded || !done->result) {
        std::fprintf(stderr, "execution did not succeed\n");
        return 1;
      }
      late.push_back(std::stod(*done->result));
    }
    std::sort(late.begin(), late.end());
    total_steps = int64_t{a.execs} * 2;
    std::printf(
        "B4 execs=%d start_s=%.2f lateness_ms p50=%.0f p99=%.0f max=%.0f rss_kb_before=%ld "
        "rss_kb_suspended=%ld (~%.0f B per execution, measured 300 ms after the last start)\n",
        a.execs, start_s, late[late.size() / 2], late[late.size() * 99 / 100], late.back(), rss0,
        rss1, (rss1 - rss0) * 1024.0 / a.execs);
  } else {
    std::atomic<int> next{0};
    std::atomic<bool> failed{false};
    std::mutex lat_mu;
    std::vector<double> lat;
    auto t0 = Clk::now();
    std::vector<std::thread> drivers;
    for (int c = 0; c < a.conc; ++c) {
      drivers.emplace_back([&] {
        while (true) {
          int i = next++;
          if (i >= a.execs || failed) return;
          auto s0 = Clk::now();
          if (!run_one(i)) failed = true;
          double ms = std::chrono::duration<double, std::milli>(Clk::now() - s0).count();
          std::lock_guard<std::mutex> l(lat_mu);
          lat.push_back(ms);
        }
      });
    }
    for (auto& d : drivers) d.join();
    if (failed) return 1;
    double secs = std::chrono::duration<double>(Clk::now() - t0).count();
    std::sort(lat.begin(), lat.end());
    total_steps = int64_t{a.execs} * steps;
    double cpu = CpuSeconds() - cpu0;
    std::printf(
        "B2 execs=%d conc=%d steps=%d sync=%s exec_per_s=%.0f steps_per_s=%.0f p50_ms=%.1f "
        "p99_ms=%.1f cpu_s_per_1000_steps=%.3f\n",
        a.execs, a.conc, steps, a.sync.c_str(), a.execs / secs, total_steps / secs,
        lat[lat.size() / 2], lat[lat.size() * 99 / 100], cpu / total_steps * 1000);
  }
  engine->Shutdown();
  invoker.Shutdown();
  engine.reset();
  store.reset();  // closes the connection: SQLite checkpoints the WAL into the file
  int64_t bytes = FileSize(a.db) + FileSize(a.db + "-wal");
  std::printf("disk_bytes=%lld bytes_per_step=%.0f\n", static_cast<long long>(bytes),
              static_cast<double>(bytes) / total_steps);
  return 0;
}
