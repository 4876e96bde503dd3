// History events (protocol.md §8): the event envelope plus exactly one `<EventType>Details` member.
// Model-required details members and their wrappers are always emitted (protocol-review finding 1).
#include "durable/base/macros.h"
#include "durable/wire/codecs.h"
#include "durable/wire/wire.h"

namespace durable::wire {
namespace internal {
namespace {

using model::Event;
using model::EventType;
using T = EventType;

// EventInput / EventResult. A present payload is emitted with Truncated:false when data is
// included, replaced by Truncated:true when it is not; without payload only Truncated remains.
OJson PayloadWrapper(const std::optional<model::EventPayload>& w, bool include_data) {
  OJson o = OJson::object();
  if (w && w->payload && include_data) {
    o["Payload"] = *w->payload;
    o["Truncated"] = w->truncated;
  } else if (w && w->payload) {
    o["Truncated"] = true;
  } else {
    o["Truncated"] = w ? w->truncated : false;
  }
  return o;
}

OJson ErrorWrapper(const std::optional<model::EventError>& w, bool include_data) {
  OJson o = OJson::object();
  if (w && w->payload && include_data) {
    o["Payload"] = ErrorObjectToJson(*w->payload);
    o["Truncated"] = w->truncated;
  } else if (w && w->payload) {
    o["Truncated"] = true;
  } else {
    o["Truncated"] = w ? w->truncated : false;
  }
  return o;
}

OJson RetryDetailsToJson(const std::optional<model::RetryDetails>& r) {
  OJson o = OJson::object();
  if (r) {
    PutIf(o, "CurrentAttempt", r->current_attempt);
    PutIf(o, "NextAttemptDelaySeconds", r->next_attempt_delay_seconds);
  }
  return o;
}

bool IsErrorOnly(EventType t) {
  switch (t) {
    case T::kExecutionFailed:
    case T::kExecutionStopped:
    case T::kContextFailed:
    case T::kChainedInvokeFailed:
    case T::kChainedInvokeTimedOut:
    case T::kChainedInvokeStopped:
    case T::kCallbackFailed:
    case T::kCallbackTimedOut:
      return true;
    default:
      return false;
  }
}

bool IsResultOnly(EventType t) {
  switch (t) {
    case T::kExecutionSucceeded:
    case T::kContextSucceeded:
    case T::kChainedInvokeSucceeded:
    case T::kCallbackSucceeded:
      return true;
    default:
      return false;
  }
}

// Details of the started/wait/step types (everything but invoke, callback and invocation).
void PutLifecycleDetails(OJson& d, const Event& e, bool data) {
  switch (e.type) {
    case T::kExecutionStarted:
      d["Input"] = PayloadWrapper(e.input, data);
      PutIf(d, "ExecutionTimeout", e.execution_timeout);
      break;
    case T::kExecutionTimedOut:
    case T::kWaitCancelled:
      if (e.error) d["Error"] = ErrorWrapper(e.error, data);
      break;
    case T::kWaitStarted:
      PutIf(d, "Duration", e.duration);
      PutTimeIf(d, "ScheduledEndTimestamp", e.scheduled_end_timestamp, TimeUnit::kSeconds);
      break;
    case T::kWaitSucceeded:
      PutIf(d, "Duration", e.duration);
      break;
    case T::kStepSucceeded:
      d["Result"] = PayloadWrapper(e.result, data);
      d["RetryDetails"] = RetryDetailsToJson(e.retry_details);
      break;
    case T::kStepFailed:
      d["Error"] = ErrorWrapper(e.error, data);
      d["RetryDetails"] = RetryDetailsToJson(e.retry_details);
      break;
    default:  // ContextStarted, StepStarted: empty details
      break;
  }
}

void PutChainedInvokeStarted(OJson& d, const Event& e, bool data) {
  d["FunctionName"] = e.function_name.value_or("");
  PutIf(d, "TenantId", e.tenant_id);
  d["Input"] = PayloadWrapper(e.input, data);
  PutIf(d, "ExecutedVersion", e.executed_version);
  PutIf(d, "DurableExecutionArn", e.durable_execution_arn);
}

void PutCallbackStarted(OJson& d, const Event& e) {
  d["CallbackId"] = e.callback_id.value_or("");
  // 0 means "disabled" and is omitted (protocol.md §8.3, CALLBACK START row).
  if (e.heartbeat_timeout.value_or(0) > 0) d["HeartbeatTimeout"] = *e.heartbeat_timeout;
  if (e.timeout.value_or(0) > 0) d["Timeout"] = *e.timeout;
}

void PutInvocationCompleted(OJson& d, const Event& e, bool data) {
  PutTimeIf(d, "StartTimestamp", e.invocation_start_timestamp, TimeUnit::kSeconds);
  PutTimeIf(d, "EndTimestamp", e.invocation_end_timestamp, TimeUnit::kSeconds);
  PutIf(d, "RequestId", e.request_id);
  if (e.error) d["Error"] = ErrorWrapper(e.error, data);
}

// The details object of `e` for its type.
OJson DetailsToJson(const Event& e, bool data) {
  OJson d = OJson::object();
  if (IsErrorOnly(e.type)) {
    d["Error"] = ErrorWrapper(e.error, data);
  } else if (IsResultOnly(e.type)) {
    d["Result"] = PayloadWrapper(e.result, data);
  } else if (e.type == T::kChainedInvokeStarted) {
    PutChainedInvokeStarted(d, e, data);
  } else if (e.type == T::kCallbackStarted) {
    PutCallbackStarted(d, e);
  } else if (e.type == T::kInvocationCompleted) {
    PutInvocationCompleted(d, e, data);
  } else {
    PutLifecycleDetails(d, e, data);
  }
  return d;
}

Status ReadPayloadWrapper(const Reader& r, std::string_view key,
                          std::optional<model::EventPayload>* out) {
  DURABLE_ASSIGN_OR_RETURN(auto w, r.Child(key));
  if (!w) return Status::Ok();
  auto& p = out->emplace();
  DURABLE_RETURN_IF_ERROR(w->Str("Payload", &p.payload));
  std::optional<bool> truncated;
  DURABLE_RETURN_IF_ERROR(w->Bool("Truncated", &truncated));
  p.truncated = truncated.value_or(false);
  return Status::Ok();
}

Status ReadErrorWrapper(const Reader& r, std::optional<model::EventError>* out) {
  DURABLE_ASSIGN_OR_RETURN(auto w, r.Child("Error"));
  if (!w) return Status::Ok();
  auto& e = out->emplace();
  DURABLE_RETURN_IF_ERROR(OptErrorObject(*w, "Payload", &e.payload));
  std::optional<bool> truncated;
  DURABLE_RETURN_IF_ERROR(w->Bool("Truncated", &truncated));
  e.truncated = truncated.value_or(false);
  return Status::Ok();
}

Status ReadRetryDetails(const Reader& r, std::optional<model::RetryDetails>* out) {
  DURABLE_ASSIGN_OR_RETURN(auto w, r.Child("RetryDetails"));
  if (!w) return Status::Ok();
  auto& d = out->emplace();
  DURABLE_RETURN_IF_ERROR(w->Int32("CurrentAttempt", &d.current_attempt));
  return w->Int("NextAttemptDelaySeconds", &d.next_attempt_delay_seconds);
}

// Reads every details member any event type uses; members a type does not have stay absent.
Status ReadDetails(const Reader& d, Event* e) {
  DURABLE_RETURN_IF_ERROR(ReadPayloadWrapper(d, "Input", &e->input));
  DURABLE_RETURN_IF_ERROR(ReadPayloadWrapper(d, "Result", &e->result));
  DURABLE_RETURN_IF_ERROR(ReadErrorWrapper(d, &e->error));
  DURABLE_RETURN_IF_ERROR(ReadRetryDetails(d, &e->retry_details));
  DURABLE_RETURN_IF_ERROR(d.Int("ExecutionTimeout", &e->execution_timeout));
  DURABLE_RETURN_IF_ERROR(d.Int("Duration", &e->duration));
  const TimeUnit s = TimeUnit::kSeconds;
  DURABLE_RETURN_IF_ERROR(d.Time("ScheduledEndTimestamp", s, &e->scheduled_end_timestamp));
  DURABLE_RETURN_IF_ERROR(d.Str("CallbackId", &e->callback_id));
  DURABLE_RETURN_IF_ERROR(d.Int("Timeout", &e->timeout));
  DURABLE_RETURN_IF_ERROR(d.Int("HeartbeatTimeout", &e->heartbeat_timeout));
  DURABLE_RETURN_IF_ERROR(d.Str("FunctionName", &e->function_name));
  DURABLE_RETURN_IF_ERROR(d.Str("TenantId", &e->tenant_id));
  DURABLE_RETURN_IF_ERROR(d.Str("ExecutedVersion", &e->executed_version));
  DURABLE_RETURN_IF_ERROR(d.Str("DurableExecutionArn", &e->durable_execution_arn));
  DURABLE_RETURN_IF_ERROR(d.Time("StartTimestamp", s, &e->invocation_start_timestamp));
  DURABLE_RETURN_IF_ERROR(d.Time("EndTimestamp", s, &e->invocation_end_timestamp));
  return d.Str("RequestId", &e->request_id);
}

std::string DetailsKey(EventType t) { return std::string(model::ToString(t)) + "Details"; }

}  // namespace

OJson EventToJson(const Event& e, bool include_data) {
  OJson o = OJson::object();
  o["EventType"] = model::ToString(e.type);
  PutIf(o, "SubType", e.sub_type);
  o["EventId"] = e.event_id;
  PutIf(o, "Id", e.id);
  PutIf(o, "Name", e.name);
  o["EventTimestamp"] = TimeToJson(e.event_timestamp, TimeUnit::kSeconds);
  PutIf(o, "ParentId", e.parent_id);
  o[DetailsKey(e.type)] = DetailsToJson(e, include_data);
  return o;
}

Result<Event> EventFromJson(const Reader& r) {
  Event e;
  DURABLE_RETURN_IF_ERROR(r.ReqEnum(
      "EventType", [](std::string_view s) { return model::ParseEventType(s); }, &e.type));
  DURABLE_RETURN_IF_ERROR(r.Str("SubType", &e.sub_type));
  std::optional<int64_t> event_id;
  DURABLE_RETURN_IF_ERROR(r.Int("EventId", &event_id));
  if (!event_id) return r.Missing("EventId");
  e.event_id = *event_id;
  DURABLE_RETURN_IF_ERROR(r.Str("Id", &e.id));
  DURABLE_RETURN_IF_ERROR(r.Str("Name", &e.name));
  DURABLE_RETURN_IF_ERROR(r.ReqTime("EventTimestamp", TimeUnit::kSeconds, &e.event_timestamp));
  DURABLE_RETURN_IF_ERROR(r.Str("ParentId", &e.parent_id));
  DURABLE_ASSIGN_OR_RETURN(auto details, r.Child(DetailsKey(e.type)));
  if (details) DURABLE_RETURN_IF_ERROR(ReadDetails(*details, &e));
  return e;
}

}  // namespace internal

std::string SerializeEvent(const model::Event& event, bool include_data) {
  return internal::Dump(internal::EventToJson(event, include_data));
}

Result<model::Event> ParseEvent(std::string_view json) {
  return internal::ParseObject<model::Event>(
      json, [](const internal::Reader& r) { return internal::EventFromJson(r); });
}

std::string SerializeHistoryResponse(const model::HistoryResponse& response, bool include_data) {
  internal::OJson o = internal::OJson::object();
  internal::OJson events = internal::OJson::array();
  for (const model::Event& e : response.events) {
    events.push_back(internal::EventToJson(e, include_data));
  }
  o["Events"] = std::move(events);
  internal::PutIf(o, "NextMarker", response.next_marker);
  return internal::Dump(o);
}

Result<model::HistoryResponse> ParseHistoryResponse(std::string_view json) {
  return internal::ParseObject<model::HistoryResponse>(
      json, [](const internal::Reader& r) -> Result<model::HistoryResponse> {
        model::HistoryResponse resp;
        DURABLE_RETURN_IF_ERROR(r.ForEach("Events", [&](const internal::Reader& e) -> Status {
          DURABLE_ASSIGN_OR_RETURN(model::Event event, internal::EventFromJson(e));
          resp.events.push_back(std::move(event));
          return Status::Ok();
        }));
        DURABLE_RETURN_IF_ERROR(r.Str("NextMarker", &resp.next_marker));
        return resp;
      });
}

}  // namespace durable::wire
