#include "durable/host/log_store.h"

#include <cstdio>

#include "durable/base/utf8.h"

namespace durable::host {
namespace {

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(char(c));
    } else if (c == '\n') {
      *out += "\\n";
    } else if (c == '\t') {
      *out += "\\t";
    } else if (c == '\r') {
      *out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      *out += buf;
    } else if (c >= 0x80) {
      size_t n = Utf8SequenceLength(s, i);
      if (n == 0) {
        *out += "\\ufffd";
        ++i;
        continue;
      }
      out->append(s.substr(i, n));
      i += n;
      continue;
    } else {
      out->push_back(char(c));
    }
    ++i;
  }
  out->push_back('"');
}

}  // namespace

LogStore::LogStore(size_t max_lines_per_function, bool echo)
    : max_lines_(max_lines_per_function == 0 ? 1 : max_lines_per_function), echo_(echo) {}

void LogStore::SetEcho(bool echo) {
  std::lock_guard lock(mu_);
  echo_ = echo;
}

void LogStore::Append(const std::string& function_name, LogLine line) {
  std::lock_guard lock(mu_);
  if (echo_) {
    std::fprintf(stderr, "[%s] %.*s\n", function_name.c_str(),
                 static_cast<int>(line.message.size()), line.message.data());
  }
  std::deque<LogLine>& q = lines_[function_name];
  q.push_back(std::move(line));
  while (q.size() > max_lines_) q.pop_front();
}

std::vector<LogLine> LogStore::Since(const std::string& function_name, TimestampMs since_ms) const {
  std::lock_guard lock(mu_);
  std::vector<LogLine> out;
  auto it = lines_.find(function_name);
  if (it == lines_.end()) return out;
  for (const LogLine& line : it->second) {
    if (line.timestamp >= since_ms) out.push_back(line);
  }
  return out;
}

std::string SerializeLogLines(const std::vector<LogLine>& lines) {
  std::string out = "{\"lines\":[";
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += "{\"timestamp\":" + std::to_string(lines[i].timestamp) + ",\"stream\":";
    AppendJsonString(lines[i].stream, &out);
    out += ",\"message\":";
    AppendJsonString(lines[i].message, &out);
    out.push_back('}');
  }
  out += "]}";
  return out;
}

std::vector<std::string> LineSplitter::Feed(std::string_view bytes) {
  std::vector<std::string> lines;
  for (char c : bytes) {
    if (c == '\n') {
      if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
      lines.push_back(std::move(partial_));
      partial_.clear();
    } else {
      partial_.push_back(c);
      if (partial_.size() >= max_line_bytes_) {
        lines.push_back(std::move(partial_));
        partial_.clear();
      }
    }
  }
  return lines;
}

std::vector<std::string> LineSplitter::Flush() {
  std::vector<std::string> lines;
  if (!partial_.empty()) lines.push_back(std::move(partial_));
  partial_.clear();
  return lines;
}

}  // namespace durable::host
