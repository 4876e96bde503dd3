#include "durable/wire/json_util.h"

#include <cmath>
#include <limits>

namespace durable::wire::internal {
namespace {

// Maximum bracket depth of `text`, ignoring brackets inside strings. Stops early past `limit`.
int NestingDepth(std::string_view text, int limit) {
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) max_depth = depth;
      if (max_depth > limit) return max_depth;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

std::string TypeName(const Json& j) { return j.type_name(); }

}  // namespace

Status ParseDocument(std::string_view text, Json* out) {
  if (NestingDepth(text, kMaxNestingDepth) > kMaxNestingDepth) {
    return InvalidArgument("JSON nesting is too deep");
  }
  try {
    *out = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    return InvalidArgument(std::string("invalid JSON: ") + e.what());
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("invalid JSON: ") + e.what());
  }
  return Status::Ok();
}

std::string Dump(const OJson& j) {
  return j.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::detail::error_handler_t::replace);
}

// --- Reader ---

Result<Reader> Reader::Of(const Json& j, std::string path) {
  if (!j.is_object()) {
    return InvalidArgument((path.empty() ? std::string("JSON document") : path) +
                           " must be an object, got " + TypeName(j));
  }
  return Reader(&j, std::move(path));
}

std::string Reader::PathOf(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  std::string p = path_;
  p += '.';
  p += key;
  return p;
}

const Json* Reader::Get(std::string_view key) const {
  auto it = j_->find(key);
  if (it == j_->end() || it->is_null()) return nullptr;
  return &*it;
}

Status Reader::TypeError(std::string_view key, std::string_view what) const {
  return InvalidArgument(PathOf(key) + " must be " + std::string(what));
}
Status Reader::Missing(std::string_view key) const {
  return InvalidArgument(PathOf(key) + " is required");
}
Status Reader::UnknownValue(std::string_view key, std::string_view value) const {
  return InvalidArgument(PathOf(key) + " has unknown value \"" + std::string(value) + "\"");
}

Status Reader::Str(std::string_view key, std::optional<std::string>* out) const {
  const Json* v = Get(key);
  if (!v) return Status::Ok();
  if (!v->is_string()) return TypeError(key, "a string");
  *out = v->get_ref<const std::string&>();
  return Status::Ok();
}

Status Reader::ReqStr(std::string_view key, std::string* out) const {
  std::optional<std::string> v;
  DURABLE_RETURN_IF_ERROR(Str(key, &v));
  if (!v) return Missing(key);
  *out = std::move(*v);
  return Status::Ok();
}

Status Reader::Bool(std::string_view key, std::optional<bool>* out) const {
  const Json* v = Get(key);
  if (!v) return Status::Ok();
  if (!v->is_boolean()) return TypeError(key, "a boolean");
  *out = v->get<bool>();
  return Status::Ok();
}

Status Reader::Int(std::string_view key, std::optional<int64_t>* out) const {
  const Json* v = Get(key);
  if (!v) return Status::Ok();
  if (v->is_number_unsigned()) {
    uint64_t u = v->get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return TypeError(key, "an integer in range");
    }
    *out = static_cast<int64_t>(u);
    return Status::Ok();
  }
  if (v->is_number_integer()) {
    *out = v->get<int64_t>();
    return Status::Ok();
  }
  if (v->is_number_float()) {  // accept 5.0, reject 5.5
    double d = v->get<double>();
    if (std::trunc(d) == d && std::fabs(d) < 9.0e18) {
      *out = static_cast<int64_t>(d);
      return Status::Ok();
    }
  }
  return TypeError(key, "an integer");
}

Status Reader::Int32(std::string_view key, std::optional<int32_t>* out) const {
  std::optional<int64_t> v;
  DURABLE_RETURN_IF_ERROR(Int(key, &v));
  if (!v) return Status::Ok();
  if (*v < std::numeric_limits<int32_t>::min() || *v > std::numeric_limits<int32_t>::max()) {
    return TypeError(key, "a 32-bit integer");
  }
  *out = static_cast<int32_t>(*v);
  return Status::Ok();
}

Status Reader::Time(std::string_view key, TimeUnit unit, std::optional<TimestampMs>* out) const {
  const Json* v = Get(key);
  if (!v) return Status::Ok();
  std::optional<TimestampMs> t = TimeFromJson(*v, unit);
  if (!t) return TypeError(key, "a timestamp");
  *out = *t;
  return Status::Ok();
}

Status Reader::ReqTime(std::string_view key, TimeUnit unit, TimestampMs* out) const {
  std::optional<TimestampMs> v;
  DURABLE_RETURN_IF_ERROR(Time(key, unit, &v));
  if (!v) return Missing(key);
  *out = *v;
  return Status::Ok();
}

Status Reader::StrList(std::string_view key, std::optional<std::vector<std::string>>* out) const {
  const Json* v = Get(key);
  if (!v) return Status::Ok();
  if (!v->is_array()) return TypeError(key, "an array");
  std::vector<std::string> list;
  list.reserve(v->size());
  for (size_t i = 0; i < v->size(); ++i) {
    const Json& e = (*v)[i];
    if (!e.is_string()) {
      return InvalidArgument(PathOf(key) + "[" + std::to_string(i) + "] must be a string");
    }
    list.push_back(e.get<std::string>());
  }
  *out = std::move(list);
  return Status::Ok();
}

Result<std::optional<Reader>> Reader::Child(std::string_view key) const {
  const Json* v = Get(key);
  if (!v) return std::optional<Reader>();
  if (!v->is_object()) return TypeError(key, "an object");
  return std::optional<Reader>(Reader(v, PathOf(key)));
}

Status Reader::ForEach(std::string_view key, const std::function<Status(const Reader&)>& fn) const {
  const Json* v = Get(key);
  if (!v) return Status::Ok();
  if (!v->is_array()) return TypeError(key, "an array");
  for (size_t i = 0; i < v->size(); ++i) {
    std::string path = PathOf(key) + "[" + std::to_string(i) + "]";
    DURABLE_ASSIGN_OR_RETURN(Reader element, Reader::Of((*v)[i], std::move(path)));
    DURABLE_RETURN_IF_ERROR(fn(element));
  }
  return Status::Ok();
}

}  // namespace durable::wire::internal
