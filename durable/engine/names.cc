#include "durable/engine/names.h"

#include <random>
#include <vector>

#include "durable/base/ids.h"

namespace durable::engine {
namespace {

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    out.emplace_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

bool IsAccount(const std::string& s) {
  if (s.size() != 12) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::string HashHex(std::string_view data) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ull;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[i] = kHex[h & 15];
  return out;
}

bool ValidExecutionName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

std::optional<FunctionRef> ParseFunctionName(std::string_view function_name) {
  std::vector<std::string> parts = Split(function_name, ':');
  FunctionRef ref;
  size_t name_at = 0;
  if (parts.size() >= 7 && parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function") {
    ref.region = parts[3];
    ref.account = parts[4];
    name_at = 6;
  } else if (parts.size() >= 3 && IsAccount(parts[0]) && parts[1] == "function") {
    ref.account = parts[0];
    name_at = 2;
  } else if (parts.size() > 2) {
    return std::nullopt;
  }
  if (parts.size() > name_at + 2) return std::nullopt;
  ref.name = parts[name_at];
  if (parts.size() == name_at + 2) ref.qualifier = parts[name_at + 1];
  if (ref.name.empty() || (ref.qualifier && ref.qualifier->empty())) return std::nullopt;
  return ref;
}

std::string BuildFunctionArn(const std::string& region, const std::string& account,
                             const std::string& function, const std::string& version) {
  return "arn:aws:lambda:" + region + ":" + account + ":function:" + function + ":" + version;
}

std::string BuildExecutionArn(const std::string& region, const std::string& account,
                              const std::string& function, const std::string& version,
                              const std::string& name, const std::string& execution_id) {
  return BuildFunctionArn(region, account, function, version) + "/durable-execution/" + name + "/" +
         execution_id;
}

std::string ChildExecutionName(const std::string& parent_execution_id,
                               const std::string& operation_id) {
  std::string key = parent_execution_id + "/" + operation_id;
  return "chained-" + HashHex(key) + HashHex("salt:" + key);
}

std::string MakeCheckpointToken(const TokenParts& p) {
  return Base64Encode("ct1|" + p.execution_id + "|" + p.invocation_id + "|" +
                      std::to_string(p.sequence));
}

std::optional<TokenParts> ParseCheckpointToken(std::string_view token) {
  std::string raw;
  if (token.empty() || !Base64Decode(token, &raw)) return std::nullopt;
  std::vector<std::string> parts = Split(raw, '|');
  if (parts.size() != 4 || parts[0] != "ct1") return std::nullopt;
  TokenParts p{parts[1], parts[2], 0};
  try {
    p.sequence = std::stoll(parts[3]);
  } catch (...) {
    return std::nullopt;
  }
  return p;
}

std::string MakeMarker(const std::string& scope, int64_t index) {
  return Base64Encode("mk1|" + scope + "|" + std::to_string(index));
}

std::optional<int64_t> ParseMarker(std::string_view marker, const std::string& scope) {
  std::string raw;
  if (!Base64Decode(marker, &raw)) return std::nullopt;
  std::string prefix = "mk1|" + scope + "|";
  if (raw.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  std::string digits = raw.substr(prefix.size());
  if (digits.empty() || digits.size() > 12) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::stoll(digits);
}

std::string NewCallbackId(const std::string& arn) {
  std::random_device rd;
  std::string random(32, '\0');
  for (auto& c : random) c = static_cast<char>(rd() & 0xff);
  return Base64Encode(arn + "|" + Base64Encode(random));
}

std::optional<std::string> ArnOfCallbackId(std::string_view callback_id) {
  std::string raw;
  if (callback_id.empty() || !Base64Decode(callback_id, &raw)) return std::nullopt;
  size_t bar = raw.rfind('|');
  if (bar == std::string::npos || raw.compare(0, 4, "arn:") != 0) return std::nullopt;
  return raw.substr(0, bar);
}

}  // namespace durable::engine
