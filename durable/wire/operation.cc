// Operation (protocol.md §5.1), OperationUpdate (§6.1) and ErrorObject codecs.
#include "durable/base/macros.h"
#include "durable/wire/codecs.h"
#include "durable/wire/wire.h"

namespace durable::wire {
namespace internal {
namespace {

using model::Operation;
using model::OperationUpdate;

OJson StepDetailsToJson(const model::StepDetails& d, TimeUnit unit) {
  OJson o = OJson::object();
  o["Attempt"] = d.attempt;
  PutTimeIf(o, "NextAttemptTimestamp", d.next_attempt_timestamp, unit);
  PutIf(o, "Result", d.result);
  if (d.error) o["Error"] = ErrorObjectToJson(*d.error);
  return o;
}

// Result + Error: the common tail of CONTEXT, CALLBACK and CHAINED_INVOKE details.
template <typename D>
void PutOutcome(OJson& o, const D& d) {
  PutIf(o, "Result", d.result);
  if (d.error) o["Error"] = ErrorObjectToJson(*d.error);
}

void PutDetails(OJson& o, const Operation& op, TimeUnit unit) {
  if (op.execution_details) {
    OJson d = OJson::object();
    PutIf(d, "InputPayload", op.execution_details->input_payload);
    o["ExecutionDetails"] = std::move(d);
  }
  if (op.context_details) {
    OJson d = OJson::object();
    PutIf(d, "ReplayChildren", op.context_details->replay_children);
    PutOutcome(d, *op.context_details);
    o["ContextDetails"] = std::move(d);
  }
  if (op.step_details) o["StepDetails"] = StepDetailsToJson(*op.step_details, unit);
  if (op.wait_details) {
    OJson d = OJson::object();
    PutTimeIf(d, "ScheduledEndTimestamp", op.wait_details->scheduled_end_timestamp, unit);
    o["WaitDetails"] = std::move(d);
  }
  if (op.callback_details) {
    OJson d = OJson::object();
    PutIf(d, "CallbackId", op.callback_details->callback_id);
    PutOutcome(d, *op.callback_details);
    o["CallbackDetails"] = std::move(d);
  }
  if (op.chained_invoke_details) {
    OJson d = OJson::object();
    PutOutcome(d, *op.chained_invoke_details);
    o["ChainedInvokeDetails"] = std::move(d);
  }
}

template <typename D>
Status ReadOutcome(const Reader& r, D* d) {
  DURABLE_RETURN_IF_ERROR(r.Str("Result", &d->result));
  return OptErrorObject(r, "Error", &d->error);
}

Status ReadDetails(const Reader& r, TimeUnit unit, Operation* op) {
  DURABLE_ASSIGN_OR_RETURN(auto exec, r.Child("ExecutionDetails"));
  if (exec) {
    op->execution_details.emplace();
    DURABLE_RETURN_IF_ERROR(exec->Str("InputPayload", &op->execution_details->input_payload));
  }
  DURABLE_ASSIGN_OR_RETURN(auto ctx, r.Child("ContextDetails"));
  if (ctx) {
    auto& d = op->context_details.emplace();
    DURABLE_RETURN_IF_ERROR(ctx->Bool("ReplayChildren", &d.replay_children));
    DURABLE_RETURN_IF_ERROR(ReadOutcome(*ctx, &d));
  }
  DURABLE_ASSIGN_OR_RETURN(auto step, r.Child("StepDetails"));
  if (step) {
    auto& d = op->step_details.emplace();
    std::optional<int32_t> attempt;
    DURABLE_RETURN_IF_ERROR(step->Int32("Attempt", &attempt));
    d.attempt = attempt.value_or(0);
    DURABLE_RETURN_IF_ERROR(step->Time("NextAttemptTimestamp", unit, &d.next_attempt_timestamp));
    DURABLE_RETURN_IF_ERROR(ReadOutcome(*step, &d));
  }
  DURABLE_ASSIGN_OR_RETURN(auto wait, r.Child("WaitDetails"));
  if (wait) {
    auto& d = op->wait_details.emplace();
    DURABLE_RETURN_IF_ERROR(wait->Time("ScheduledEndTimestamp", unit, &d.scheduled_end_timestamp));
  }
  DURABLE_ASSIGN_OR_RETURN(auto cb, r.Child("CallbackDetails"));
  if (cb) {
    auto& d = op->callback_details.emplace();
    DURABLE_RETURN_IF_ERROR(cb->Str("CallbackId", &d.callback_id));
    DURABLE_RETURN_IF_ERROR(ReadOutcome(*cb, &d));
  }
  DURABLE_ASSIGN_OR_RETURN(auto inv, r.Child("ChainedInvokeDetails"));
  if (inv) DURABLE_RETURN_IF_ERROR(ReadOutcome(*inv, &op->chained_invoke_details.emplace()));
  return Status::Ok();
}

void PutOptions(OJson& o, const OperationUpdate& u) {
  if (u.context_options) {
    OJson d = OJson::object();
    PutIf(d, "ReplayChildren", u.context_options->replay_children);
    o["ContextOptions"] = std::move(d);
  }
  if (u.step_options) {
    OJson d = OJson::object();
    PutIf(d, "NextAttemptDelaySeconds", u.step_options->next_attempt_delay_seconds);
    o["StepOptions"] = std::move(d);
  }
  if (u.wait_options) {
    OJson d = OJson::object();
    PutIf(d, "WaitSeconds", u.wait_options->wait_seconds);
    o["WaitOptions"] = std::move(d);
  }
  if (u.callback_options) {
    OJson d = OJson::object();
    PutIf(d, "TimeoutSeconds", u.callback_options->timeout_seconds);
    PutIf(d, "HeartbeatTimeoutSeconds", u.callback_options->heartbeat_timeout_seconds);
    o["CallbackOptions"] = std::move(d);
  }
  if (u.chained_invoke_options) {
    OJson d = OJson::object();
    PutIf(d, "FunctionName", u.chained_invoke_options->function_name);
    PutIf(d, "TenantId", u.chained_invoke_options->tenant_id);
    o["ChainedInvokeOptions"] = std::move(d);
  }
}

Status ReadOptions(const Reader& r, OperationUpdate* u) {
  DURABLE_ASSIGN_OR_RETURN(auto ctx, r.Child("ContextOptions"));
  if (ctx) {
    DURABLE_RETURN_IF_ERROR(
        ctx->Bool("ReplayChildren", &u->context_options.emplace().replay_children));
  }
  DURABLE_ASSIGN_OR_RETURN(auto step, r.Child("StepOptions"));
  if (step) {
    DURABLE_RETURN_IF_ERROR(step->Int("NextAttemptDelaySeconds",
                                      &u->step_options.emplace().next_attempt_delay_seconds));
  }
  DURABLE_ASSIGN_OR_RETURN(auto wait, r.Child("WaitOptions"));
  if (wait) {
    DURABLE_RETURN_IF_ERROR(wait->Int("WaitSeconds", &u->wait_options.emplace().wait_seconds));
  }
  DURABLE_ASSIGN_OR_RETURN(auto cb, r.Child("CallbackOptions"));
  if (cb) {
    auto& d = u->callback_options.emplace();
    DURABLE_RETURN_IF_ERROR(cb->Int("TimeoutSeconds", &d.timeout_seconds));
    DURABLE_RETURN_IF_ERROR(cb->Int("HeartbeatTimeoutSeconds", &d.heartbeat_timeout_seconds));
  }
  DURABLE_ASSIGN_OR_RETURN(auto inv, r.Child("ChainedInvokeOptions"));
  if (inv) {
    auto& d = u->chained_invoke_options.emplace();
    DURABLE_RETURN_IF_ERROR(inv->Str("FunctionName", &d.function_name));
    DURABLE_RETURN_IF_ERROR(inv->Str("TenantId", &d.tenant_id));
  }
  return Status::Ok();
}

}  // namespace

OJson ErrorObjectToJson(const model::ErrorObject& error) {
  OJson o = OJson::object();
  PutIf(o, "ErrorType", error.error_type);
  PutIf(o, "ErrorMessage", error.error_message);
  PutIf(o, "ErrorData", error.error_data);
  PutIf(o, "StackTrace", error.stack_trace);
  return o;
}

Result<model::ErrorObject> ErrorObjectFromJson(const Reader& r) {
  model::ErrorObject e;
  DURABLE_RETURN_IF_ERROR(r.Str("ErrorType", &e.error_type));
  DURABLE_RETURN_IF_ERROR(r.Str("ErrorMessage", &e.error_message));
  DURABLE_RETURN_IF_ERROR(r.Str("ErrorData", &e.error_data));
  DURABLE_RETURN_IF_ERROR(r.StrList("StackTrace", &e.stack_trace));
  return e;
}

Status OptErrorObject(const Reader& r, std::string_view key,
                      std::optional<model::ErrorObject>* out) {
  DURABLE_ASSIGN_OR_RETURN(auto child, r.Child(key));
  if (!child) return Status::Ok();
  DURABLE_ASSIGN_OR_RETURN(*out, ErrorObjectFromJson(*child));
  return Status::Ok();
}

OJson OperationToJson(const Operation& op, TimeUnit unit) {
  OJson o = OJson::object();
  o["Id"] = op.id;
  PutIf(o, "ParentId", op.parent_id);
  PutIf(o, "Name", op.name);
  o["Type"] = model::ToString(op.type);
  PutIf(o, "SubType", op.sub_type);
  o["StartTimestamp"] = TimeToJson(op.start_timestamp, unit);
  PutTimeIf(o, "EndTimestamp", op.end_timestamp, unit);
  o["Status"] = model::ToString(op.status);
  PutDetails(o, op, unit);
  return o;
}

Result<Operation> OperationFromJson(const Reader& r, TimeUnit unit) {
  Operation op;
  DURABLE_RETURN_IF_ERROR(r.ReqStr("Id", &op.id));
  DURABLE_RETURN_IF_ERROR(r.Str("ParentId", &op.parent_id));
  DURABLE_RETURN_IF_ERROR(r.Str("Name", &op.name));
  DURABLE_RETURN_IF_ERROR(r.ReqEnum(
      "Type", [](std::string_view s) { return model::ParseOperationType(s); }, &op.type));
  DURABLE_RETURN_IF_ERROR(r.Str("SubType", &op.sub_type));
  DURABLE_RETURN_IF_ERROR(r.ReqTime("StartTimestamp", unit, &op.start_timestamp));
  DURABLE_RETURN_IF_ERROR(r.Time("EndTimestamp", unit, &op.end_timestamp));
  DURABLE_RETURN_IF_ERROR(r.ReqEnum(
      "Status", [](std::string_view s) { return model::ParseOperationStatus(s); }, &op.status));
  DURABLE_RETURN_IF_ERROR(ReadDetails(r, unit, &op));
  return op;
}

Status OperationList(const Reader& r, std::string_view key, TimeUnit unit,
                     std::vector<Operation>* out) {
  return r.ForEach(key, [&](const Reader& element) -> Status {
    DURABLE_ASSIGN_OR_RETURN(Operation op, OperationFromJson(element, unit));
    out->push_back(std::move(op));
    return Status::Ok();
  });
}

OJson OperationListToJson(const std::vector<Operation>& ops, TimeUnit unit) {
  OJson list = OJson::array();
  for (const Operation& op : ops) list.push_back(OperationToJson(op, unit));
  return list;
}

OJson OperationUpdateToJson(const OperationUpdate& u) {
  OJson o = OJson::object();
  o["Id"] = u.id;
  PutIf(o, "ParentId", u.parent_id);
  PutIf(o, "Name", u.name);
  o["Type"] = model::ToString(u.type);
  PutIf(o, "SubType", u.sub_type);
  o["Action"] = model::ToString(u.action);
  PutIf(o, "Payload", u.payload);
  if (u.error) o["Error"] = ErrorObjectToJson(*u.error);
  PutOptions(o, u);
  return o;
}

// `Id` is optional here on purpose: the engine rejects a missing id with the AWS message
// "Operation update must have an Id." (protocol.md §6.4), so the wire leaves it empty.
Result<OperationUpdate> OperationUpdateFromJson(const Reader& r) {
  OperationUpdate u;
  std::optional<std::string> id;
  DURABLE_RETURN_IF_ERROR(r.Str("Id", &id));
  u.id = id.value_or("");
  DURABLE_RETURN_IF_ERROR(r.Str("ParentId", &u.parent_id));
  DURABLE_RETURN_IF_ERROR(r.Str("Name", &u.name));
  DURABLE_RETURN_IF_ERROR(r.ReqEnum(
      "Type", [](std::string_view s) { return model::ParseOperationType(s); }, &u.type));
  DURABLE_RETURN_IF_ERROR(r.Str("SubType", &u.sub_type));
  DURABLE_RETURN_IF_ERROR(r.ReqEnum(
      "Action", [](std::string_view s) { return model::ParseOperationAction(s); }, &u.action));
  DURABLE_RETURN_IF_ERROR(r.Str("Payload", &u.payload));
  DURABLE_RETURN_IF_ERROR(OptErrorObject(r, "Error", &u.error));
  DURABLE_RETURN_IF_ERROR(ReadOptions(r, &u));
  return u;
}

}  // namespace internal

std::string SerializeOperation(const model::Operation& op, TimeUnit unit) {
  return internal::Dump(internal::OperationToJson(op, unit));
}

Result<model::Operation> ParseOperation(std::string_view json, TimeUnit unit) {
  return internal::ParseObject<model::Operation>(
      json, [unit](const internal::Reader& r) { return internal::OperationFromJson(r, unit); });
}

std::string SerializeOperationUpdate(const model::OperationUpdate& update) {
  return internal::Dump(internal::OperationUpdateToJson(update));
}

Result<model::OperationUpdate> ParseOperationUpdate(std::string_view json) {
  return internal::ParseObject<model::OperationUpdate>(
      json, [](const internal::Reader& r) { return internal::OperationUpdateFromJson(r); });
}

}  // namespace durable::wire
