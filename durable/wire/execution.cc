// GetDurableExecution (protocol.md §9.1) and ListDurableExecutionsByFunction (§9.2) responses.
#include "durable/base/macros.h"
#include "durable/wire/codecs.h"
#include "durable/wire/wire.h"

namespace durable::wire {
namespace {

using internal::OJson;
using internal::PutIf;
using internal::Reader;
using model::DurableExecution;
using model::ExecutionStatus;

constexpr TimeUnit kSec = TimeUnit::kSeconds;

bool IsFailure(ExecutionStatus s) {
  return s == ExecutionStatus::kFailed || s == ExecutionStatus::kTimedOut ||
         s == ExecutionStatus::kStopped;
}

// Members shared by GetDurableExecution and the List items.
void PutSummary(OJson& o, const DurableExecution& e) {
  o["DurableExecutionArn"] = e.arn;
  o["DurableExecutionName"] = e.name;
  o["FunctionArn"] = e.function_arn;
  o["Status"] = model::ToString(e.status);
  o["StartTimestamp"] = internal::TimeToJson(e.start_timestamp, kSec);
  if (e.end_timestamp && model::IsTerminal(e.status)) {
    o["EndTimestamp"] = internal::TimeToJson(*e.end_timestamp, kSec);
  }
}

// Derives execution_id, function_name and version from
// arn:...:function:{fn}:{version}/durable-execution/{name}/{id}; leaves them when it doesn't fit.
void FillFromArn(DurableExecution* e) {
  size_t slash = e->arn.rfind('/');
  if (slash != std::string::npos) e->execution_id = e->arn.substr(slash + 1);
  std::string_view arn = e->arn;
  size_t marker = arn.find("/durable-execution/");
  if (marker == std::string_view::npos) return;
  std::string_view fn = arn.substr(0, marker);
  size_t pos = fn.find(":function:");
  if (pos == std::string_view::npos) return;
  std::string_view rest = fn.substr(pos + 10);  // "{fn}:{version}"
  size_t colon = rest.find(':');
  e->function_name = std::string(rest.substr(0, colon));
  if (colon != std::string_view::npos) e->version = std::string(rest.substr(colon + 1));
}

Status ReadSummary(const Reader& r, DurableExecution* e) {
  DURABLE_RETURN_IF_ERROR(r.ReqStr("DurableExecutionArn", &e->arn));
  DURABLE_RETURN_IF_ERROR(r.ReqStr("DurableExecutionName", &e->name));
  DURABLE_RETURN_IF_ERROR(r.ReqStr("FunctionArn", &e->function_arn));
  DURABLE_RETURN_IF_ERROR(r.ReqEnum(
      "Status", [](std::string_view s) { return model::ParseExecutionStatus(s); }, &e->status));
  DURABLE_RETURN_IF_ERROR(r.ReqTime("StartTimestamp", kSec, &e->start_timestamp));
  DURABLE_RETURN_IF_ERROR(r.Time("EndTimestamp", kSec, &e->end_timestamp));
  FillFromArn(e);
  return Status::Ok();
}

Status ReadConfig(const Reader& r, DurableExecution* e) {
  DURABLE_ASSIGN_OR_RETURN(auto config, r.Child("DurableConfig"));
  if (!config) return Status::Ok();
  std::optional<int32_t> days;
  std::optional<int64_t> timeout;
  DURABLE_RETURN_IF_ERROR(config->Int32("RetentionPeriodInDays", &days));
  DURABLE_RETURN_IF_ERROR(config->Int("ExecutionTimeout", &timeout));
  if (days) e->config.retention_period_in_days = *days;
  if (timeout) e->config.execution_timeout_seconds = *timeout;
  return Status::Ok();
}

Result<DurableExecution> GetFromJson(const Reader& r) {
  DurableExecution e;
  DURABLE_RETURN_IF_ERROR(ReadSummary(r, &e));
  DURABLE_RETURN_IF_ERROR(r.Str("InputPayload", &e.input_payload));
  DURABLE_RETURN_IF_ERROR(r.Str("Result", &e.result));
  DURABLE_RETURN_IF_ERROR(internal::OptErrorObject(r, "Error", &e.error));
  std::optional<std::string> version;
  DURABLE_RETURN_IF_ERROR(r.Str("Version", &version));
  if (version) e.version = *version;
  DURABLE_ASSIGN_OR_RETURN(auto trace, r.Child("TraceHeader"));
  if (trace) DURABLE_RETURN_IF_ERROR(trace->Str("XAmznTraceId", &e.trace_header));
  DURABLE_RETURN_IF_ERROR(ReadConfig(r, &e));
  return e;
}

Result<model::ListResponse> ListFromJson(const Reader& r) {
  model::ListResponse resp;
  DURABLE_RETURN_IF_ERROR(r.ForEach("DurableExecutions", [&](const Reader& item) -> Status {
    DurableExecution e;
    DURABLE_RETURN_IF_ERROR(ReadSummary(item, &e));
    resp.executions.push_back(std::move(e));
    return Status::Ok();
  }));
  DURABLE_RETURN_IF_ERROR(r.Str("NextMarker", &resp.next_marker));
  return resp;
}

}  // namespace

std::string SerializeGetExecutionResponse(const DurableExecution& e, bool include_data) {
  OJson o = OJson::object();
  PutSummary(o, e);
  if (include_data) {
    PutIf(o, "InputPayload", e.input_payload);
    if (e.status == ExecutionStatus::kSucceeded) PutIf(o, "Result", e.result);
    if (IsFailure(e.status) && e.error) o["Error"] = internal::ErrorObjectToJson(*e.error);
  }
  o["Version"] = e.version;
  if (e.trace_header) o["TraceHeader"] = OJson{{"XAmznTraceId", *e.trace_header}};
  o["ExecutionDataIncluded"] = include_data;
  OJson config = OJson::object();
  config["RetentionPeriodInDays"] = e.config.retention_period_in_days;
  config["ExecutionTimeout"] = e.config.execution_timeout_seconds;
  o["DurableConfig"] = std::move(config);
  return internal::Dump(o);
}

Result<DurableExecution> ParseGetExecutionResponse(std::string_view json) {
  return internal::ParseObject<DurableExecution>(json, GetFromJson);
}

std::string SerializeListResponse(const model::ListResponse& response) {
  OJson o = OJson::object();
  OJson items = OJson::array();
  for (const DurableExecution& e : response.executions) {
    OJson item = OJson::object();
    PutSummary(item, e);
    items.push_back(std::move(item));
  }
  o["DurableExecutions"] = std::move(items);
  PutIf(o, "NextMarker", response.next_marker);
  return internal::Dump(o);
}

Result<model::ListResponse> ParseListResponse(std::string_view json) {
  return internal::ParseObject<model::ListResponse>(json, ListFromJson);
}

}  // namespace durable::wire
