// Captured output of function processes: every stdout/stderr line with its epoch-ms timestamp,
// kept in a bounded buffer per function (oldest lines dropped first) and optionally echoed to the
// server's stderr. LogStore is thread-safe; LineSplitter is thread-compatible.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "durable/base/clock.h"

namespace durable::host {

struct LogLine {
  TimestampMs timestamp = 0;
  std::string stream;   // "stdout" or "stderr"
  std::string message;  // without the trailing newline
};

class LogStore {
 public:
  explicit LogStore(size_t max_lines_per_function = 200'000, bool echo = false);

  void Append(const std::string& function_name, LogLine line);
  // Lines of `function_name` with timestamp >= since_ms, oldest first.
  std::vector<LogLine> Since(const std::string& function_name, TimestampMs since_ms) const;
  void SetEcho(bool echo);

 private:
  const size_t max_lines_;
  mutable std::mutex mu_;
  bool echo_;
  std::map<std::string, std::deque<LogLine>> lines_;
};

// {"lines":[{"timestamp":<ms>,"stream":"stdout","message":"..."}]}. Invalid UTF-8 bytes in a
// message become U+FFFD so the body is always valid JSON.
std::string SerializeLogLines(const std::vector<LogLine>& lines);

// Splits a byte stream into lines ("\n", a trailing "\r" dropped). Very long lines are cut at
// max_line_bytes so that a process printing without newlines cannot exhaust memory.
class LineSplitter {
 public:
  explicit LineSplitter(size_t max_line_bytes = 256 * 1024) : max_line_bytes_(max_line_bytes) {}
  std::vector<std::string> Feed(std::string_view bytes);
  // The unterminated rest, if any (at EOF).
  std::vector<std::string> Flush();

 private:
  size_t max_line_bytes_;
  std::string partial_;
};

}  // namespace durable::host
