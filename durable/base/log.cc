#include "durable/base/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

namespace durable::log {
namespace {
std::atomic<Level> g_level{Level::kInfo};
std::mutex g_mu;
}  // namespace

void SetLevel(Level level) { g_level = level; }
bool Enabled(Level level) { return level >= g_level.load(); }

void Write(Level level, std::string_view message) {
  static constexpr const char* kNames[] = {"DEBUG", "INFO", "WARN", "ERROR"};
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::lock_guard<std::mutex> lock(g_mu);
  std::fprintf(stderr, "%lld.%03lld %s %.*s\n", static_cast<long long>(ms / 1000),
               static_cast<long long>(ms % 1000), kNames[static_cast<int>(level)],
               static_cast<int>(message.size()), message.data());
}

}  // namespace durable::log
