// bench_driver: the B1–B6 workloads (docs/performance.md) against Durable. It starts
// server::DurableServer in this process — the same composition as `durable serve`, SQLite
// synchronous=FULL unless told otherwise — with the benchmark handlers (handlers.h) in-process and
// as function processes (bench/template.yaml), and drives it as a client over HTTP: Invoke,
// GetDurableExecutionHistory, SendDurableExecutionCallbackSuccess. Completion of asynchronously
// started executions is observed with Engine::AwaitClosed (the notification synchronous Invoke
// uses). B6 runs a real `durable serve` child and SIGKILLs it. Prints one JSON object per result
// line and writes them all to --out. Single-threaded apart from the B2/B4 client threads.
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/handlers.h"
#include "durable/base/ids.h"
#include "durable/base/macros.h"
#include "durable/http/http.h"
#include "durable/server/server.h"
#include "durable/store/sqlite/db.h"

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace durable::bench {
namespace {

struct Options {
  std::vector<std::string> modes = {"in-process", "process"};
  std::set<std::string> workloads = {"B1", "B2", "B3", "B4", "B5", "B6"};
  std::string template_path = "bench/template.yaml";
  std::string sync = "FULL";
  std::string out;
  std::string durable_bin;    // for B6
  std::string bootstrap_dir;  // for B6
  std::vector<int> b1_n = {10, 100, 1000};
  std::vector<std::pair<int, int>> b2 = {{1, 100}, {50, 1000}, {200, 2000}};  // {C, M}
  std::vector<int> b3_k = {0, 100, 1000};
  int b3_reps = 11;
  int b4_n_inproc = 10000;
  int b4_n_process = 1000;
  int b5_items = 1000;
  int b5_concurrency = 50;
  int b6_n = 1000;
  int b6_kill_at = 500;
};

std::vector<Json> g_results;
bool g_check_failed = false;  // a correctness check failed: results are printed, exit status 1

void Check(bool ok, const std::string& what) {
  if (ok) return;
  std::cerr << "bench_driver: CHECK FAILED: " << what << std::endl;
  g_check_failed = true;
}
std::string g_durability;

void Emit(Json j) {
  j["durability"] = g_durability;
  std::cout << j.dump() << std::endl;
  g_results.push_back(std::move(j));
}

[[noreturn]] void Die(const std::string& msg) {
  std::cerr << "bench_driver: " << msg << std::endl;
  std::exit(1);
}

double Ms(int64_t ns) { return static_cast<double>(ns) / 1e6; }

double Percentile(std::vector<double> xs, double p) {
  if (xs.empty()) return 0;
  std::sort(xs.begin(), xs.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(xs.size() - 1) + 0.5);
  return xs[std::min(i, xs.size() - 1)];
}
double Median(const std::vector<double>& xs) { return Percentile(xs, 0.5); }

// utime+stime of /proc/<pid>/stat in seconds.
double ProcCpuSeconds(const std::string& pid) {
  std::ifstream f("/proc/" + pid + "/stat");
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto p = s.rfind(')');
  if (p == std::string::npos) return 0;
  std::istringstream in(s.substr(p + 2));
  std::string field;
  std::vector<std::string> v;
  while (in >> field) v.push_back(field);
  if (v.size() < 13) return 0;
  // after ')' : state(0) ppid(1) ... utime(11) stime(12)
  return (std::stod(v[11]) + std::stod(v[12])) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU seconds of this process and of its live children (function processes), by pid.
std::map<std::string, double> CpuSnapshot() {
  std::map<std::string, double> snap;
  std::string self = std::to_string(getpid());
  snap[self] = ProcCpuSeconds(self);
  for (const auto& e : fs::directory_iterator("/proc")) {
    std::string name = e.path().filename();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    std::ifstream f(e.path() / "stat");
    std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto p = s.rfind(')');
    if (p == std::string::npos) continue;
    std::istringstream in(s.substr(p + 2));
    std::string state, ppid;
    in >> state >> ppid;
    if (ppid == self) snap[name] = ProcCpuSeconds(name);
  }
  return snap;
}
double CpuDelta(const std::map<std::string, double>& a, const std::map<std::string, double>& b) {
  double d = 0;
  for (const auto& [pid, v] : b) {
    auto it = a.find(pid);
    d += v - (it == a.end() ? 0 : it->second);
  }
  return d;
}

int64_t RssKb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return 0;
}

int64_t FileSize(const fs::path& p) {
  std::error_code ec;
  auto s = fs::file_size(p, ec);
  return ec ? 0 : static_cast<int64_t>(s);
}
int64_t DbBytes(const fs::path& db) { return FileSize(db) + FileSize(db.string() + "-wal"); }

// Bytes of the database's pages in use: (page_count - freelist_count) * page_size.
int64_t DbUsedBytes(const fs::path& db) {
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(h);
    return -1;
  }
  auto one = [&](const char* sql) -> int64_t {
    sqlite3_stmt* st = nullptr;
    int64_t v = -1;
    if (sqlite3_prepare_v2(h, sql, -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      v = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return v;
  };
  int64_t used =
      (one("PRAGMA page_count") - one("PRAGMA freelist_count")) * one("PRAGMA page_size");
  sqlite3_close(h);
  return used;
}

fs::path TempDir(const std::string& what) {
  fs::path d = fs::temp_directory_path() / ("durable-bench-" + what + "-" + NewUuid());
  fs::create_directories(d);
  return d;
}

// ---- a server in this process -------------------------------------------------------------

class Bench {
 public:
  Bench(const Options& o, const std::string& what) : dir_(TempDir(what)) {
    server::ServeOptions so;
    so.port = 0;
    so.db_path = (dir_ / "bench.db").string();
    so.template_path = o.template_path;
    so.sqlite_synchronous = o.sync;
    auto s = server::DurableServer::Start(so, Handlers());
    if (!s.ok()) Die("starting the server: " + s.status().ToString());
    server_ = std::move(*s);
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }
  ~Bench() {
    server_->Stop();
    server_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  engine::Engine& engine() { return server_->engine(); }
  const std::string& base() const { return base_; }
  fs::path db() const { return dir_ / "bench.db"; }

 private:
  fs::path dir_;
  std::unique_ptr<server::DurableServer> server_;
  std::string base_;
};

std::string InvokePath(const std::string& fn) {
  return "/2015-03-31/functions/" + fn + "/invocations";
}

// Synchronous Invoke: the result body.
std::string InvokeSync(http::Client& c, const std::string& fn, const Json& payload) {
  http::Headers h;
  h.emplace("X-Amz-Invocation-Type", "RequestResponse");
  auto r = c.Send("POST", InvokePath(fn), payload.dump(), h);
  if (!r.ok()) Die("invoke " + fn + ": " + r.status().ToString());
  if (r->status != 200 || r->Header("X-Amz-Function-Error")) {
    Die("invoke " + fn + ": HTTP " + std::to_string(r->status) + " " + r->body);
  }
  return r->body;
}

// Asynchronous Invoke: the execution ARN.
// A unique execution name makes the start idempotent, so a request that failed on a stale
// keep-alive connection is simply sent again.
std::string InvokeAsync(http::Client& c, const std::string& fn, const Json& payload) {
  http::Headers h;
  h.emplace("X-Amz-Invocation-Type", "Event");
  h.emplace("X-Amz-Durable-Execution-Name", NewUuid());
  auto r = c.Send("POST", InvokePath(fn), payload.dump(), h);
  for (int attempt = 0; attempt < 5 && !r.ok(); ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    r = c.Send("POST", InvokePath(fn), payload.dump(), h);
  }
  if (!r.ok()) Die("invoke " + fn + ": " + r.status().ToString());
  auto arn = r->Header("X-Amz-Durable-Execution-Arn");
  if (r->status != 202 || !arn) Die("invoke " + fn + ": HTTP " + std::to_string(r->status));
  return *arn;
}

model::DurableExecution AwaitDone(Bench& b, const std::string& arn) {
  auto done = b.engine().AwaitClosed(arn, std::chrono::minutes(5));
  if (!done.ok()) Die("await " + arn + ": " + done.status().ToString());
  if (done->status != model::ExecutionStatus::kSucceeded) {
    Die("execution " + arn + " ended " + std::string(model::ToString(done->status)));
  }
  return *done;
}

// A few shared HTTP connections for many client threads (the server's worker pool is finite).
class ClientPool {
 public:
  ClientPool(const std::string& base, int n) {
    for (int i = 0; i < n; ++i) free_.push_back(std::make_unique<http::Client>(base));
  }
  template <typename F>
  auto With(F&& f) {
    std::unique_ptr<http::Client> c;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return !free_.empty(); });
      c = std::move(free_.back());
      free_.pop_back();
    }
    auto r = f(*c);
    {
      std::lock_guard<std::mutex> lock(mu_);
      free_.push_back(std::move(c));
    }
    cv_.notify_one();
    return r;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<http::Client>> free_;
};

std::string Fn(const std::string& base, const std::string& mode) {
  return base + (mode == "in-process" ? "InProcess" : "Process");
}

// ---- B1 seq-steps -------------------------------------------------------------------------

void RunB1(const Options& o, const std::string& mode) {
  Bench b(o, "b1");
  http::Client c(b.base());
  std::string fn = Fn("Steps", mode);
  InvokeSync(c, fn, {{"n", 1}});  // warm-up (starts the function process)
  // Then a long execution, so the measured ones see the store in its steady state: a new SQLite
  // file's WAL grows with every commit until the first checkpoint, and while it grows each
  // fdatasync must also write the file's size (one more device write per commit).
  InvokeSync(c, fn, {{"n", 1000}});
  for (int n : o.b1_n) {
    int reps = 5;
    std::vector<double> walls;
    for (int r = 0; r < reps; ++r) {
      int64_t t0 = MonotonicNs();
      std::string body = InvokeSync(c, fn, {{"n", n}});
      int64_t t1 = MonotonicNs();
      if (Json::parse(body) != Json(int64_t{n} * (n - 1) / 2)) Die("B1 wrong result " + body);
      walls.push_back(Ms(t1 - t0));
    }
    double med = Median(walls);
    Emit({{"workload", "B1"},
          {"mode", mode},
          {"steps", n},
          {"reps", reps},
          {"wall_ms_median", med},
          {"per_step_us", med * 1000 / n},
          {"walls_ms", walls}});
  }
}

// ---- B2 many-executions -------------------------------------------------------------------

void RunB2(const Options& o, const std::string& mode) {
  for (auto [conc, m] : o.b2) {
    Bench b(o, "b2");
    std::string fn = Fn("Steps", mode);
    ClientPool pool(b.base(), 8);
    {
      http::Client c(b.base());
      InvokeSync(c, fn, {{"n", 10}});  // warm-up
    }
    std::atomic<int> next{0};
    std::mutex mu;
    std::vector<double> lat;
    auto cpu0 = CpuSnapshot();
    int64_t t0 = MonotonicNs();
    std::vector<std::thread> threads;
    for (int t = 0; t < conc; ++t) {
      threads.emplace_back([&] {
        std::vector<double> mine;
        while (next.fetch_add(1) < m) {
          int64_t s = MonotonicNs();
          std::string arn = pool.With([&](http::Client& c) {
            return InvokeAsync(c, fn, {{"n", 10}});
          });
          auto done = AwaitDone(b, arn);
          if (done.result != "45") Die("B2 wrong result " + done.result.value_or(""));
          mine.push_back(Ms(MonotonicNs() - s));
        }
        std::lock_guard<std::mutex> lock(mu);
        lat.insert(lat.end(), mine.begin(), mine.end());
      });
    }
    for (auto& t : threads) t.join();
    double wall = Ms(MonotonicNs() - t0);
    double cpu = CpuDelta(cpu0, CpuSnapshot());
    Emit({{"workload", "B2"},
          {"mode", mode},
          {"concurrency", conc},
          {"executions", m},
          {"steps_each", 10},
          {"wall_ms", wall},
          {"executions_per_s", m / wall * 1000},
          {"steps_per_s", m * 10 / wall * 1000},
          {"latency_ms_p50", Percentile(lat, 0.5)},
          {"latency_ms_p99", Percentile(lat, 0.99)},
          {"cpu_s_per_1000_steps", cpu / (m * 10.0) * 1000},
          {"cpu_note", "server + driver + function processes"}});
  }
}

// ---- B3 callback-resume -------------------------------------------------------------------

// Polls the newest history events until the callback exists (hot) or until the invocation that
// created it has completed, i.e. the execution is suspended. Returns the callback id.
std::string WaitForCallback(http::Client& c, const std::string& arn, bool suspended) {
  std::string path = "/2025-12-01/durable-executions/" + PercentEncode(arn) +
                     "/history?ReverseOrder=true&MaxItems=4&IncludeExecutionData=false";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = c.Send("GET", path);
    if (!r.ok() || r->status != 200) Die("history: " + (r.ok() ? r->body : r.status().ToString()));
    Json events = Json::parse(r->body).value("Events", Json::array());
    std::string id;
    for (const auto& e : events) {
      if (e.value("EventType", "") == "CallbackStarted") {
        id = e["CallbackStartedDetails"].value("CallbackId", "");
      }
    }
    if (!id.empty() && (!suspended || events[0].value("EventType", "") == "InvocationCompleted")) {
      return id;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  Die("B3: the callback never appeared");
}

// B3's idle spell: after the invocation has suspended, the driver waits this long before it sends
// the callback's success (and the floor below before its measured request).
constexpr auto kB3Idle = std::chrono::milliseconds(20);

// The floor under B3's send→resumed: what any engine has to do before the code after the await
// can run — receive the callback's request and make one row durable — after the same idle spell,
// with no engine in between. A plain http::Server (the library the product serves with) whose
// one route commits one row (BEGIN IMMEDIATE; INSERT; COMMIT) to a SQLite WAL database of its own
// through the store's thin connection adapter (sqlite::Db, cached statements), at the run's
// synchronous mode; a kept-alive client sends a warm request, waits kB3Idle, then the measured
// one. Same process, so the handler's timestamps and the driver's share CLOCK_MONOTONIC.
void RunB3Floor(const Options& o, const std::string& mode) {
  fs::path dir = TempDir("b3floor");
  auto opened = store::sqlite::Db::Open((dir / "floor.db").string());
  if (!opened.ok()) Die("B3 floor: " + opened.status().ToString());
  store::sqlite::Db& db = **opened;
  auto exec = [&](const std::string& sql) {
    Status st = db.Exec(sql);
    if (!st.ok()) Die("B3 floor: " + sql + ": " + st.ToString());
  };
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=" + o.sync);  // FULL, NORMAL or OFF (checked)
  exec("CREATE TABLE results(id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  // An fdatasync after an append to the WAL must also write the file's new size, a second device
  // write the store avoids by extending its WAL ahead of the frames (wal_buffer_vfs.h). So the WAL
  // is grown by 1 MiB and restarted first: the measured commits overwrite allocated blocks.
  exec("CREATE TABLE pad(b BLOB); INSERT INTO pad VALUES (zeroblob(1048576));"
       "PRAGMA wal_checkpoint(RESTART)");
  auto commit_row = [&](const std::string& body) -> Status {
    DURABLE_ASSIGN_OR_RETURN(store::sqlite::Query begin, db.Prepare("BEGIN IMMEDIATE"));
    DURABLE_RETURN_IF_ERROR(begin.Run());
    DURABLE_ASSIGN_OR_RETURN(store::sqlite::Query insert,
                             db.Prepare("INSERT INTO results(body) VALUES (?)"));
    DURABLE_RETURN_IF_ERROR(insert.Bind(body).Run());
    DURABLE_ASSIGN_OR_RETURN(store::sqlite::Query commit, db.Prepare("COMMIT"));
    return commit.Run();
  };

  http::Server server(http::ServerOptions{.host = "127.0.0.1", .port = 0});
  server.Route("POST", {"floor"}, [&](const http::Request& req, http::Response& res) {
    int64_t t_handler = MonotonicNs();
    Status st = commit_row(req.body);
    int64_t t_committed = MonotonicNs();
    if (!st.ok()) {
      res.status = 500;
      res.body = st.ToString();
      return;
    }
    res.body = Json{{"handler_ns", t_handler}, {"committed_ns", t_committed}}.dump();
  });
  auto port = server.Start();
  if (!port.ok()) Die("B3 floor: " + port.status().ToString());
  http::Client c("http://127.0.0.1:" + std::to_string(*port));
  auto post = [&] {
    auto r = c.Send("POST", "/floor", "\"approved\"", {}, "application/octet-stream");
    if (!r.ok() || r->status != 200) {
      Die("B3 floor: " + (r.ok() ? r->body : r.status().ToString()));
    }
    return Json::parse(r->body);
  };
  std::vector<double> to_handler, commit_ms, floor_ms;
  for (int r = -1; r < o.b3_reps; ++r) {  // r = -1: warm-up, not counted
    post();  // warm: the connection, the server's threads, the database
    std::this_thread::sleep_for(kB3Idle);
    int64_t t_send = MonotonicNs();
    Json t = post();
    if (r < 0) continue;
    int64_t handler_ns = t["handler_ns"].get<int64_t>();
    int64_t committed_ns = t["committed_ns"].get<int64_t>();
    to_handler.push_back(Ms(handler_ns - t_send));
    commit_ms.push_back(Ms(committed_ns - handler_ns));
    floor_ms.push_back(Ms(committed_ns - t_send));
  }
  server.Stop();
  opened->reset();  // closed before its directory goes
  std::error_code ec;
  fs::remove_all(dir, ec);
  Emit({{"workload", "B3"},
        {"mode", mode},
        {"variant", "floor"},
        {"reps", o.b3_reps},
        {"send_to_handler_ms_median", Median(to_handler)},
        {"commit_ms_median", Median(commit_ms)},
        {"send_to_committed_ms_median", Median(floor_ms)},
        {"floor_ms", floor_ms},
        {"floor_note", "no engine: a plain HTTP server receiving one POST after " +
                           std::to_string(kB3Idle.count()) +
                           " ms idle and committing one row to its own SQLite WAL database, "
                           "measured just before this mode's B3 variants"}});
}

void RunB3(const Options& o, const std::string& mode) {
  Bench b(o, "b3");
  http::Client c(b.base());
  RunB3Floor(o, mode);
  std::string fn = Fn("Callback", mode);
  struct Variant {
    int k;
    bool hot;
  };
  std::vector<Variant> variants;
  for (int k : o.b3_k) variants.push_back({k, false});
  variants.push_back({0, true});
  bool warmed = false;
  for (auto v : variants) {
    int reps = v.k >= 1000 ? std::max(3, o.b3_reps / 2) : o.b3_reps;
    std::vector<double> resumed, result;
    for (int r = -(warmed ? 0 : 1); r < reps; ++r) {
      std::string arn = InvokeAsync(c, fn, {{"k", v.k}});
      std::string id = WaitForCallback(c, arn, !v.hot);
      if (!v.hot) std::this_thread::sleep_for(kB3Idle);
      int64_t t_send = MonotonicNs();
      auto s = c.Send("POST",
                      "/2025-12-01/durable-execution-callbacks/" + PercentEncode(id) + "/succeed",
                      "\"approved\"", {}, "application/octet-stream");
      if (!s.ok() || s->status != 200) Die("callback succeed failed");
      auto done = AwaitDone(b, arn);
      int64_t t_end = MonotonicNs();
      Json out = Json::parse(done.result.value_or("null"));
      if (out.value("value", "") != "approved") Die("B3 wrong result " + out.dump());
      if (r < 0) continue;  // warm-up
      resumed.push_back(Ms(out["resumed_ns"].get<int64_t>() - t_send));
      result.push_back(Ms(t_end - t_send));
    }
    warmed = true;
    Emit({{"workload", "B3"},
          {"mode", mode},
          {"variant", v.hot ? "hot" : "suspended"},
          {"steps_before_callback", v.k},
          {"reps", reps},
          {"send_to_resumed_ms_median", Median(resumed)},
          {"send_to_result_ms_median", Median(result)},
          {"resume_ms", resumed}});
  }
}

// ---- B4 timers ----------------------------------------------------------------------------

// Starts n executions of fn with `payload` from 8 client threads; returns their ARNs.
std::vector<std::string> StartMany(Bench& b, const std::string& fn, const Json& payload, int n) {
  std::vector<std::string> arns(n);
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      http::Client c(b.base());
      for (int i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
        arns[i] = InvokeAsync(c, fn, payload);
      }
    });
  }
  for (auto& t : threads) t.join();
  return arns;
}

bool Suspended(Bench& b, const std::string& arn) {
  auto h = b.engine().GetHistory(arn, {});
  return h.ok() && !h->events.empty() &&
         h->events.back().type == model::EventType::kInvocationCompleted;
}

void RunB4(const Options& o, const std::string& mode) {
  int n = mode == "in-process" ? o.b4_n_inproc : o.b4_n_process;
  std::string fn = Fn("Timer", mode);
  Json res = {{"workload", "B4"}, {"mode", mode}, {"executions", n}};
  double start_ms = 0;
  {
    // Memory: n executions suspended on a long wait, all at once.
    Bench b(o, "b4mem");
    {
      http::Client c(b.base());
      auto arn = InvokeAsync(c, fn, {{"seconds", 3600}});  // warm-up
      while (!Suspended(b, arn)) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    int64_t rss0 = RssKb();
    int64_t t0 = MonotonicNs();
    auto arns = StartMany(b, fn, {{"seconds", 3600}}, n);
    start_ms = Ms(MonotonicNs() - t0);
    for (const auto& arn : arns) {
      while (!Suspended(b, arn)) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    double all_ms = Ms(MonotonicNs() - t0);
    int64_t rss1 = RssKb();
    res["rss_kb_before"] = rss0;
    res["rss_kb_suspended"] = rss1;
    res["rss_bytes_per_suspended_execution"] = (rss1 - rss0) * 1024.0 / n;
    res["start_ms"] = start_ms;
    res["all_suspended_ms"] = all_ms;
  }
  {
    // Lateness, two ways. "all suspended": every execution waits long enough (the start time of
    // the memory phase, plus 2 s) that all n are suspended before the first timer fires, so the
    // figure is the timer path's own lateness with n suspended executions. "1 s": the workload
    // as written (each waits 1 s from its own start), so timers fire while later executions are
    // still being started and the figure includes that backlog.
    int64_t long_wait = static_cast<int64_t>(start_ms / 1000 * 1.2) + 2;
    auto lateness = [&](int64_t seconds, const std::string& prefix) {
      Bench b(o, "b4lat");
      {
        http::Client c(b.base());
        AwaitDone(b, InvokeAsync(c, fn, {{"seconds", 1}}));  // warm-up
      }
      auto arns = StartMany(b, fn, {{"seconds", seconds}}, n);
      // Every result first, the histories after: reading them while timers fire would put the
      // driver's reads on the store connection the fires commit through.
      std::vector<int64_t> woke_ms;
      woke_ms.reserve(arns.size());
      for (const auto& arn : arns) {
        woke_ms.push_back(std::stoll(AwaitDone(b, arn).result.value_or("0")));
      }
      std::vector<double> late;
      for (size_t i = 0; i < arns.size(); ++i) {
        const std::string& arn = arns[i];
        const int64_t woke = woke_ms[i];
        auto h = b.engine().GetHistory(arn, {});
        if (!h.ok()) Die("history " + h.status().ToString());
        std::optional<int64_t> end;
        for (const auto& e : h->events) {
          if (e.type == model::EventType::kWaitStarted && e.scheduled_end_timestamp) {
            end = *e.scheduled_end_timestamp;
          }
        }
        if (!end) Die("B4: no WaitStarted with ScheduledEndTimestamp");
        late.push_back(static_cast<double>(woke - *end));
      }
      res[prefix + "wait_s"] = seconds;
      res[prefix + "lateness_ms_p50"] = Percentile(late, 0.5);
      res[prefix + "lateness_ms_p99"] = Percentile(late, 0.99);
      res[prefix + "lateness_ms_max"] = Percentile(late, 1.0);
    };
    lateness(long_wait, "");
    lateness(1, "wait1s_");
    res["lateness_note"] =
        "first user code after the wait minus WaitStarted.ScheduledEndTimestamp; lateness_* with "
        "all executions suspended before the first timer fires, wait1s_* with each waiting 1 s "
        "from its own start";
  }
  Emit(res);
}

// ---- B5 fan-out ---------------------------------------------------------------------------

void RunB5(const Options& o, const std::string& mode) {
  Bench b(o, "b5");
  http::Client c(b.base());
  std::string fn = Fn("Fanout", mode);
  InvokeSync(c, fn, {{"items", 2}, {"concurrency", 2}});  // warm-up
  int64_t bytes0 = DbBytes(b.db());
  Json payload = {{"items", o.b5_items}, {"concurrency", o.b5_concurrency}};
  int64_t t0 = MonotonicNs();
  std::string arn = InvokeAsync(c, fn, payload);
  auto done = AwaitDone(b, arn);
  double wall = Ms(MonotonicNs() - t0);
  int64_t bytes1 = DbBytes(b.db());
  Json out = Json::parse(done.result.value_or("null"));
  if (out.value("items", 0) != o.b5_items) Die("B5 wrong result " + out.dump());
  auto h = b.engine().GetHistory(arn, {});
  size_t events = h.ok() ? h->events.size() : 0;
  Check(events > 0, "B5: no history");
  payload["replay"] = true;
  Json replayed = Json::parse(AwaitDone(b, InvokeAsync(c, fn, payload)).result.value_or("null"));
  bool identical = replayed.value("identical", false) && replayed["digest"] == out["digest"];
  Check(identical, "B5: the map result differs after replay");
  Emit({{"workload", "B5"},
        {"mode", mode},
        {"items", o.b5_items},
        {"max_concurrency", o.b5_concurrency},
        {"wall_ms", wall},
        {"history_events", events},
        {"db_and_wal_growth_bytes", bytes1 - bytes0},
        {"identical_after_replay", identical}});
}

// ---- B6 crash recovery and footprint ------------------------------------------------------

struct Child {
  pid_t pid = -1;
  int port = 0;
};

Child Serve(const Options& o, const fs::path& dir, const std::string& tag) {
  fs::path port_file = dir / ("port-" + tag);
  fs::remove(port_file);
  std::vector<std::string> args = {o.durable_bin,
                                   "serve",
                                   "--port",
                                   "0",
                                   "--port-file",
                                   port_file.string(),
                                   "--db",
                                   (dir / "b6.db").string(),
                                   "--template",
                                   (dir / "template.yaml").string(),
                                   "--sqlite-synchronous",
                                   o.sync};
  pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    std::string log = (dir / ("serve-" + tag + ".log")).string();
    FILE* f = std::freopen(log.c_str(), "w", stdout);
    (void)f;
    dup2(fileno(stdout), 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  Child c;
  c.pid = pid;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream f(port_file);
    if (f >> c.port && c.port > 0) return c;
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) Die("durable serve exited; see " + dir.string());
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  Die("durable serve did not start");
}

void StopChild(Child& c, int sig) {
  if (c.pid <= 0) return;
  kill(c.pid, sig);
  int status = 0;
  waitpid(c.pid, &status, 0);
  c.pid = -1;
}

void RunB6(const Options& o) {
  if (o.durable_bin.empty() || o.bootstrap_dir.empty()) Die("B6 needs --durable and --bootstrap");
  fs::path dir = TempDir("b6");
  std::ofstream(dir / "template.yaml")
      << "Resources:\n  Crash:\n    Type: AWS::Serverless::Function\n"
      << "    Properties:\n      Runtime: provided.al2023\n"
      << "      CodeUri: " << fs::absolute(o.bootstrap_dir).string()
      << "\n      Handler: crash\n      Timeout: 600\n";
  fs::path log = dir / "steps.log", marker = dir / "held";
  // Footprint baseline: the schema of an empty database, checkpointed on a clean stop.
  Child s = Serve(o, dir, "0");
  StopChild(s, SIGTERM);
  int64_t base_bytes = DbBytes(dir / "b6.db");
  fs::copy_file(dir / "b6.db", dir / "b6.db.empty");

  s = Serve(o, dir, "1");
  std::string arn;
  {
    http::Client c("http://127.0.0.1:" + std::to_string(s.port));
    arn = InvokeAsync(c, "Crash",
                      {{"n", o.b6_n},
                       {"hold_at", o.b6_kill_at},
                       {"log", log.string()},
                       {"marker", marker.string()}});
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
  while (!fs::exists(marker)) {
    if (std::chrono::steady_clock::now() > deadline)
      Die("B6: step " + std::to_string(o.b6_kill_at) + " never ran");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  pid_t fn_pid = 0;
  std::ifstream(marker) >> fn_pid;
  StopChild(s, SIGKILL);                  // the server dies during step kill_at
  if (fn_pid > 0) kill(fn_pid, SIGKILL);  // and so does its function process (a crash of the host)
  int64_t t_restart = MonotonicNs();
  s = Serve(o, dir, "2");
  std::string status;
  {
    http::Client c("http://127.0.0.1:" + std::to_string(s.port));
    auto until = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    while (std::chrono::steady_clock::now() < until) {
      auto r = c.Send("GET", "/2025-12-01/durable-executions/" + PercentEncode(arn));
      if (r.ok() && r->status == 200) {
        status = Json::parse(r->body).value("Status", "");
        if (status != "RUNNING") break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  StopChild(s, SIGTERM);  // a clean stop checkpoints the WAL into the database file
  int64_t after_bytes = DbBytes(dir / "b6.db");
  int64_t base_used = DbUsedBytes(dir / "b6.db.empty");
  int64_t after_used = DbUsedBytes(dir / "b6.db");

  std::map<int64_t, int> runs;
  int64_t first_step_after = 0, inv_after = 0;
  std::ifstream in(log);
  std::string kind;
  while (in >> kind) {
    if (kind == "inv") {
      int64_t ns;
      in >> ns;
      if (ns > t_restart && first_step_after == 0) inv_after = ns;
    } else {
      int64_t i, ns;
      in >> i >> ns;
      runs[i]++;
      if (ns > t_restart && first_step_after == 0) first_step_after = ns;
    }
  }
  int reran = 0;
  for (int64_t i = 0; i < o.b6_kill_at; ++i) {
    if (runs[i] > 1) ++reran;
  }
  bool all_ran = true;
  for (int64_t i = 0; i < o.b6_n; ++i) all_ran = all_ran && runs[i] >= 1;
  double per_step = static_cast<double>(after_bytes - base_bytes) / o.b6_n;
  Emit({{"workload", "B6"},
        {"mode", "process"},
        {"steps", o.b6_n},
        {"killed_during_step", o.b6_kill_at},
        {"final_status", status},
        {"all_steps_ran", all_ran},
        {"completed_steps_rerun", reran},
        {"step_at_kill_runs", runs[o.b6_kill_at]},
        {"restart_to_first_step_ms", first_step_after ? Ms(first_step_after - t_restart) : -1.0},
        {"replay_ms", first_step_after && inv_after ? Ms(first_step_after - inv_after) : -1.0},
        {"db_bytes_empty", base_bytes},
        {"db_bytes_after", after_bytes},
        {"bytes_per_step", per_step},
        {"payload_bytes_per_step", 100},
        {"bytes_per_step_beyond_payload", per_step - 100},
        {"used_bytes_per_step", static_cast<double>(after_used - base_used) / o.b6_n},
        {"used_bytes_per_step_beyond_payload",
         static_cast<double>(after_used - base_used) / o.b6_n - 100}});
  Check(status == "SUCCEEDED", "B6 execution ended " + status);
  Check(all_ran, "B6: not every step ran");
  Check(reran == 0, "B6: " + std::to_string(reran) + " completed steps ran again");
  std::error_code ec;
  fs::remove_all(dir, ec);
}

std::vector<int> Ints(const std::string& s) {
  std::vector<int> v;
  std::stringstream in(s);
  std::string x;
  while (std::getline(in, x, ',')) v.push_back(std::stoi(x));
  return v;
}

int Main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--mode") {
      std::string m = val();
      o.modes = m == "both" ? std::vector<std::string>{"in-process", "process"}
                            : std::vector<std::string>{m};
    } else if (a == "--workloads") {
      o.workloads.clear();
      std::stringstream in(val());
      std::string w;
      while (std::getline(in, w, ',')) o.workloads.insert(w);
    } else if (a == "--template") {
      o.template_path = val();
    } else if (a == "--sqlite-synchronous") {
      // Upper case, as `durable serve` takes it (the in-process server reads "FULL", "NORMAL"
      // and "OFF" only; anything else would be FULL there while labelled otherwise here).
      o.sync = val();
      for (auto& ch : o.sync) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (o.sync != "FULL" && o.sync != "NORMAL" && o.sync != "OFF") {
        Die("--sqlite-synchronous must be FULL, NORMAL or OFF");
      }
    } else if (a == "--out") {
      o.out = val();
    } else if (a == "--durable") {
      o.durable_bin = val();
    } else if (a == "--bootstrap") {
      o.bootstrap_dir = val();
    } else if (a == "--b1-n") {
      o.b1_n = Ints(val());
    } else if (a == "--b2") {  // C:M,C:M
      o.b2.clear();
      std::stringstream in(val());
      std::string x;
      while (std::getline(in, x, ',')) {
        auto p = x.find(':');
        o.b2.push_back({std::stoi(x.substr(0, p)), std::stoi(x.substr(p + 1))});
      }
    } else if (a == "--b3-k") {
      o.b3_k = Ints(val());
    } else if (a == "--b3-reps") {
      o.b3_reps = std::stoi(val());
    } else if (a == "--b4-n") {
      o.b4_n_inproc = std::stoi(val());
    } else if (a == "--b4-n-process") {
      o.b4_n_process = std::stoi(val());
    } else if (a == "--b5-items") {
      o.b5_items = std::stoi(val());
    } else if (a == "--b6-n") {
      o.b6_n = std::stoi(val());
      o.b6_kill_at = o.b6_n / 2;
    } else {
      Die("unknown option " + a +
          " (see --mode, --workloads, --template, --sqlite-synchronous, --out, --durable, "
          "--bootstrap, --b1-n, --b2, --b3-k, --b3-reps, --b4-n, --b4-n-process, --b5-items, "
          "--b6-n)");
    }
  }
  g_durability = "sqlite WAL synchronous=" + o.sync;
  if (o.sync != "FULL") {
    std::cerr << "bench_driver: WARNING: durability downgraded to synchronous=" << o.sync
              << " (the headline figures use FULL)" << std::endl;
    g_durability += " (NOT the default)";
  }
  std::signal(SIGPIPE, SIG_IGN);
  for (const auto& mode : o.modes) {
    if (o.workloads.count("B1")) RunB1(o, mode);
    if (o.workloads.count("B2")) RunB2(o, mode);
    if (o.workloads.count("B3")) RunB3(o, mode);
    if (o.workloads.count("B4")) RunB4(o, mode);
    if (o.workloads.count("B5")) RunB5(o, mode);
  }
  if (o.workloads.count("B6")) RunB6(o);
  if (!o.out.empty()) {
    std::ofstream(o.out) << Json(g_results).dump(1) << "\n";
  }
  return g_check_failed ? 1 : 0;
}

}  // namespace
}  // namespace durable::bench

int main(int argc, char** argv) { return durable::bench::Main(argc, argv); }
