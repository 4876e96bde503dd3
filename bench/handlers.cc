#include "bench/handlers.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "durable/sdk/context.h"

namespace durable::bench {

int64_t MonotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

using sdk::DurableContext;
using sdk::Json;

const std::string kPayload100(100, 'x');

void AppendLine(const std::string& path, const std::string& line) {
  if (path.empty()) return;
  FILE* f = std::fopen(path.c_str(), "a");
  if (!f) return;
  std::fputs((line + "\n").c_str(), f);
  std::fflush(f);
  fsync(fileno(f));  // the driver SIGKILLs the server right after; the line must survive
  std::fclose(f);
}

Json Steps(DurableContext& ctx, const Json& event) {
  int64_t n = event.value("n", 10);
  int64_t sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    sum += ctx.Step("s" + std::to_string(i), [i] { return i; });
  }
  return sum;
}

Json Callback(DurableContext& ctx, const Json& event) {
  int64_t k = event.value("k", 0);
  for (int64_t i = 0; i < k; ++i) {
    ctx.Step("p" + std::to_string(i), [i] { return i; });
  }
  auto cb = ctx.CreateCallback<Json>("approval");
  Json value = cb.Await();
  int64_t resumed = MonotonicNs();  // first user code after the await
  return Json{{"value", value}, {"resumed_ns", resumed}};
}

Json Timer(DurableContext& ctx, const Json& event) {
  ctx.Wait("sleep", std::chrono::seconds(event.value("seconds", 1)));
  int64_t woke = WallMs();  // first user code after the wait
  return ctx.Step("after", [woke] { return woke; });
}

Json Fanout(DurableContext& ctx, const Json& event) {
  int n = event.value("items", 1000);
  int c = event.value("concurrency", 50);
  bool replay = event.value("replay", false);
  std::vector<int> items(n);
  for (int i = 0; i < n; ++i) items[i] = i;
  sdk::MapConfig<int, std::string> config;
  config.max_concurrency = c;
  auto result = ctx.Map<std::string, int>(
      "fan", items,
      [](DurableContext& item_ctx, const int& item, size_t) {
        return item_ctx.Step("work", [item] {
          std::string s = std::to_string(item) + ":";
          return s + kPayload100.substr(s.size());
        });
      },
      config);
  std::vector<std::string> values = result.Results();
  std::string digest;
  {
    size_t h = 0;
    for (const auto& v : values) h = h * 1'000'003 ^ std::hash<std::string>{}(v);
    digest = std::to_string(values.size()) + "/" + std::to_string(h);
  }
  if (!replay) return Json{{"items", values.size()}, {"digest", digest}};
  std::string first = ctx.Step("digest", [&] { return digest; });
  ctx.Wait("force-replay", std::chrono::seconds(1));
  // Here the map above was rebuilt from its checkpoints by this invocation's replay.
  return Json{{"items", values.size()}, {"digest", digest}, {"identical", first == digest}};
}

Json Crash(DurableContext& ctx, const Json& event) {
  int64_t n = event.value("n", 1000);
  int64_t hold_at = event.value("hold_at", -1);
  std::string log = event.value("log", "");
  std::string marker = event.value("marker", "");
  AppendLine(log, "inv " + std::to_string(MonotonicNs()));
  for (int64_t i = 0; i < n; ++i) {
    ctx.Step("s" + std::to_string(i), [&, i] {
      AppendLine(log, "step " + std::to_string(i) + " " + std::to_string(MonotonicNs()));
      if (i == hold_at && !marker.empty() && !std::filesystem::exists(marker)) {
        { std::ofstream(marker + ".tmp") << getpid() << "\n"; }
        std::filesystem::rename(marker + ".tmp", marker);
        std::this_thread::sleep_for(std::chrono::seconds(30));
      }
      return kPayload100;
    });
  }
  return n;
}

}  // namespace

std::map<std::string, sdk::Handler> Handlers() {
  return {{"steps", Steps},
          {"callback", Callback},
          {"timer", Timer},
          {"fanout", Fanout},
          {"crash", Crash}};
}

}  // namespace durable::bench
