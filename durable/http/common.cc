// Small value helpers declared in http.h (header lookup, query lookup, the AWS error shape).
#include <strings.h>

#include <cstdint>
#include <cstdio>

#include "durable/base/utf8.h"
#include "durable/http/http.h"

namespace durable::http {

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
  return strcasecmp(a.c_str(), b.c_str()) < 0;
}

std::optional<std::string> Request::Header(const std::string& name) const {
  auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::Query(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Request::QueryAll(const std::string& name) const {
  std::vector<std::string> values;
  auto [begin, end] = query.equal_range(name);
  for (auto it = begin; it != end; ++it) values.push_back(it->second);
  return values;
}

std::optional<std::string> ClientResponse::Header(const std::string& name) const {
  auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

namespace {

// Escapes like nlohmann::json::dump with error_handler_t::replace (the wire module's error
// bodies): the same bytes for valid UTF-8; each byte that does not start a valid sequence becomes
// U+FFFD, so the body is always valid JSON.
std::string JsonEscape(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t n = Utf8SequenceLength(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    ++i;
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(char(c));
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\b') {
      out += "\\b";
    } else if (c == '\f') {
      out += "\\f";
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(char(c));
    }
  }
  return out;
}

}  // namespace

void WriteAwsError(Response& response, int http_status, std::string_view type,
                   std::string_view message) {
  response.status = http_status;
  response.content_type = "application/json";
  response.headers.erase("X-Amzn-ErrorType");
  response.headers.emplace("X-Amzn-ErrorType", std::string(type));
  std::string m = JsonEscape(message);
  response.body = std::string("{\"Type\":\"") + (http_status >= 500 ? "Service" : "User") +
                  "\",\"message\":\"" + m + "\",\"Message\":\"" + m + "\"}";
}

}  // namespace durable::http
