// Internal helpers of the wire module: safe document parsing, a path-aware object reader that turns
// JSON type mismatches into InvalidArgument statuses naming the member, timestamp conversion and
// omit-if-absent emitters. Not part of the public API. All functions are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "durable/base/macros.h"
#include "durable/base/result.h"
#include "durable/wire/wire.h"

namespace durable::wire::internal {

using Json = nlohmann::json;           // parsed input
using OJson = nlohmann::ordered_json;  // built output (keeps AWS member order)

// Deeper documents are rejected before parsing; no AWS shape nests more than ~8 levels.
inline constexpr int kMaxNestingDepth = 256;

// Parses `text` into `*out`. Invalid JSON or too deep nesting -> InvalidArgument. Never throws.
Status ParseDocument(std::string_view text, Json* out);
// Compact JSON text; invalid UTF-8 in strings is replaced by U+FFFD instead of throwing.
std::string Dump(const OJson& j);

// Runs `fn` (returning Status or Result<T>), converting any escaped exception into a Status.
template <typename F>
auto Guarded(F&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return Status(StatusCode::kInvalidArgument, std::string("malformed JSON: ") + e.what());
  }
}

// --- timestamps ---
// REST epoch seconds: an integer when the value is whole seconds, else a number with ms fraction.
OJson TimeToJson(TimestampMs ms, TimeUnit unit);
// Accepts JSON numbers, numeric strings and ISO-8601 date-time strings.
std::optional<TimestampMs> TimeFromJson(const Json& j, TimeUnit unit);
// "2026-01-27T02:35:09.631Z" style (offsets, lower-case t/z and a space separator accepted).
std::optional<TimestampMs> ParseIso8601(std::string_view s);

// --- emitters ---
template <typename T>
void PutIf(OJson& o, const char* key, const std::optional<T>& v) {
  if (v) o[key] = *v;
}
inline void PutTimeIf(OJson& o, const char* key, const std::optional<TimestampMs>& v,
                      TimeUnit unit) {
  if (v) o[key] = TimeToJson(*v, unit);
}

// A JSON object being read, remembering its member path ("Updates[0]") for error messages.
// Absent members and JSON null are both treated as "not set".
class Reader {
 public:
  // Fails with "<path> must be an object" unless `j` is an object ("JSON document" at top level).
  static Result<Reader> Of(const Json& j, std::string path);

  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view key) const;
  // nullptr when the member is absent or null.
  const Json* Get(std::string_view key) const;

  Status Str(std::string_view key, std::optional<std::string>* out) const;
  Status ReqStr(std::string_view key, std::string* out) const;
  Status Bool(std::string_view key, std::optional<bool>* out) const;
  Status Int(std::string_view key, std::optional<int64_t>* out) const;
  Status Int32(std::string_view key, std::optional<int32_t>* out) const;
  Status Time(std::string_view key, TimeUnit unit, std::optional<TimestampMs>* out) const;
  Status ReqTime(std::string_view key, TimeUnit unit, TimestampMs* out) const;
  Status StrList(std::string_view key, std::optional<std::vector<std::string>>* out) const;
  // The member as an object reader; nullopt when absent.
  Result<std::optional<Reader>> Child(std::string_view key) const;
  // Calls `fn` for every element of the array member (which must hold objects); absent = empty.
  Status ForEach(std::string_view key, const std::function<Status(const Reader&)>& fn) const;

  // Enum member by wire name; `parse` maps a name to the enum (nullopt = unknown value).
  template <typename E, typename ParseFn>
  Status Enum(std::string_view key, ParseFn parse, std::optional<E>* out) const {
    std::optional<std::string> s;
    DURABLE_RETURN_IF_ERROR(Str(key, &s));
    if (!s) return Status::Ok();
    std::optional<E> v = parse(*s);
    if (!v) return UnknownValue(key, *s);
    *out = *v;
    return Status::Ok();
  }
  template <typename E, typename ParseFn>
  Status ReqEnum(std::string_view key, ParseFn parse, E* out) const {
    std::optional<E> v;
    DURABLE_RETURN_IF_ERROR(Enum<E>(key, parse, &v));
    if (!v) return Missing(key);
    *out = *v;
    return Status::Ok();
  }

  Status Missing(std::string_view key) const;
  Status UnknownValue(std::string_view key, std::string_view value) const;

 private:
  Reader(const Json* j, std::string path) : j_(j), path_(std::move(path)) {}
  Status TypeError(std::string_view key, std::string_view what) const;

  const Json* j_;
  std::string path_;
};

}  // namespace durable::wire::internal
