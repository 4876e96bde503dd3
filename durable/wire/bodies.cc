// Small REST bodies: ErrorObject payloads (StopDurableExecution,
// SendDurableExecutionCallbackFailure, protocol.md §10/§11), the Stop response, the AWS error body
// (§2.1) and JSON validity checks.
#include "durable/base/macros.h"
#include "durable/wire/codecs.h"
#include "durable/wire/wire.h"

namespace durable::wire {
namespace {

bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

Result<std::optional<model::ErrorObject>> ParseErrorObjectBody(std::string_view json) {
  using R = Result<std::optional<model::ErrorObject>>;
  if (IsBlank(json)) return std::optional<model::ErrorObject>();
  return internal::Guarded([&]() -> R {
    internal::Json doc;
    DURABLE_RETURN_IF_ERROR(internal::ParseDocument(json, &doc));
    if (doc.is_null()) return std::optional<model::ErrorObject>();
    DURABLE_ASSIGN_OR_RETURN(internal::Reader r, internal::Reader::Of(doc, ""));
    DURABLE_ASSIGN_OR_RETURN(model::ErrorObject error, internal::ErrorObjectFromJson(r));
    return std::optional<model::ErrorObject>(std::move(error));
  });
}

std::string SerializeErrorObject(const model::ErrorObject& error) {
  return internal::Dump(internal::ErrorObjectToJson(error));
}

std::string SerializeStopResponse(TimestampMs stop_timestamp) {
  internal::OJson o = internal::OJson::object();
  o["StopTimestamp"] = internal::TimeToJson(stop_timestamp, TimeUnit::kSeconds);
  return internal::Dump(o);
}

std::string SerializeErrorBody(std::string_view message, bool server_fault) {
  internal::OJson o = internal::OJson::object();
  o["Type"] = server_fault ? "Service" : "User";
  o["message"] = std::string(message);
  o["Message"] = std::string(message);
  return internal::Dump(o);
}

bool IsValidJson(std::string_view s) {
  try {
    return internal::Json::accept(s.begin(), s.end());
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace durable::wire
