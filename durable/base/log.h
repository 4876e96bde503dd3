// Minimal leveled logging to stderr for the server's own diagnostics. Thread-safe.
#pragma once

#include <fmt/format.h>

#include <string_view>

namespace durable::log {

enum class Level { kDebug, kInfo, kWarn, kError };
void SetLevel(Level level);
bool Enabled(Level level);
void Write(Level level, std::string_view message);

template <typename... A>
void Info(fmt::format_string<A...> f, A&&... a) {
  if (Enabled(Level::kInfo)) Write(Level::kInfo, fmt::format(f, std::forward<A>(a)...));
}
template <typename... A>
void Warn(fmt::format_string<A...> f, A&&... a) {
  if (Enabled(Level::kWarn)) Write(Level::kWarn, fmt::format(f, std::forward<A>(a)...));
}
template <typename... A>
void Error(fmt::format_string<A...> f, A&&... a) {
  if (Enabled(Level::kError)) Write(Level::kError, fmt::format(f, std::forward<A>(a)...));
}
template <typename... A>
void Debug(fmt::format_string<A...> f, A&&... a) {
  if (Enabled(Level::kDebug)) Write(Level::kDebug, fmt::format(f, std::forward<A>(a)...));
}

}  // namespace durable::log
