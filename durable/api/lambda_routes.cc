#include "durable/api/lambda_routes.h"

#include <string>
#include <vector>

#include "durable/api/errors.h"
#include "durable/api/params.h"
#include "durable/base/after_reply.h"
#include "durable/base/macros.h"
#include "durable/wire/wire.h"

namespace durable::api {
namespace {

using model::ExecutionStatus;

constexpr char kDurableVersion[] = "2025-12-01";
constexpr char kInvokeVersion[] = "2015-03-31";

// Segments after the leading version segment, without empty leading/trailing pieces.
std::vector<std::string> PathParts(const http::Request& r) {
  std::vector<std::string> parts;
  for (const auto& s : r.segments) {
    if (!s.empty()) parts.push_back(s);
  }
  return parts;
}

Status UnknownOperation(const http::Request& r) {
  return NotFound("Unknown operation " + r.method + " " + r.raw_path);
}

void WriteJson(http::Response& response, std::string body, int status = 200) {
  response.status = status;
  response.content_type = "application/json";
  response.body = std::move(body);
}

// Runs `fn` and turns a failed Status into an AWS error response.
template <typename Fn>
void Guard(http::Response& response, Fn&& fn) {
  Status st = fn();
  if (!st.ok()) WriteError(response, st);
}

class LambdaApi {
 public:
  LambdaApi(engine::Engine& engine, LambdaApiOptions options)
      : engine_(engine), options_(options) {}

  void Register(http::Server& server) {
    server.Route("POST", {kInvokeVersion, "functions"},
                 [this](auto& rq, auto& rs) { Guard(rs, [&] { return Invoke(rq, rs); }); });
    server.Route("", {kDurableVersion, "durable-executions"},
                 [this](auto& rq, auto& rs) { Guard(rs, [&] { return Execution(rq, rs); }); });
    server.Route("POST", {kDurableVersion, "durable-execution-callbacks"},
                 [this](auto& rq, auto& rs) { Guard(rs, [&] { return Callback(rq, rs); }); });
    server.Route("GET", {kDurableVersion, "functions"},
                 [this](auto& rq, auto& rs) { Guard(rs, [&] { return List(rq, rs); }); });
  }

 private:
  // POST /2015-03-31/functions/{FunctionName}/invocations
  Status Invoke(const http::Request& rq, http::Response& rs) {
    auto parts = PathParts(rq);
    if (parts.size() != 4 || parts[3] != "invocations") {
      return UnknownOperation(rq);
    }
    model::StartRequest start;
    start.function_name = parts[2];
    start.qualifier = rq.Query("Qualifier");
    start.durable_execution_name = rq.Header("X-Amz-Durable-Execution-Name");
    start.tenant_id = rq.Header("X-Amz-Tenant-Id");
    start.trace_header = rq.Header("X-Amzn-Trace-Id");
    std::string type = rq.Header("X-Amz-Invocation-Type").value_or("RequestResponse");
    if (type != "RequestResponse" && type != "Event" && type != "DryRun") {
      return InvalidArgument("InvocationType must be one of RequestResponse, Event, DryRun.");
    }
    size_t limit =
        type == "Event" ? options_.max_async_payload_bytes : options_.max_sync_payload_bytes;
    if (rq.body.size() > limit) {
      WriteError(rs, 413, "RequestEntityTooLargeException",
                 "Request must be smaller than " + std::to_string(limit) + " bytes for the " +
                     type + " invocation type.");
      return Status::Ok();
    }
    if (!rq.body.empty()) {
      if (!wire::IsValidJson(rq.body)) {
        WriteError(rs, 400, "InvalidRequestContentException",
                   "Could not parse request body into json: invalid JSON payload.");
        return Status::Ok();
      }
      start.payload = rq.body;
    }
    if (type == "DryRun") {
      rs.status = 204;
      return Status::Ok();
    }
    DURABLE_ASSIGN_OR_RETURN(model::StartResponse started, engine_.StartExecution(start));
    const model::DurableExecution& ex = started.execution;
    rs.headers.emplace("X-Amz-Durable-Execution-Arn", ex.arn);
    rs.headers.emplace("X-Amz-Executed-Version", ex.version);
    if (type == "Event") {
      rs.status = 202;
      rs.body.clear();
      return Status::Ok();
    }
    DURABLE_ASSIGN_OR_RETURN(model::DurableExecution done,
                             engine_.AwaitClosed(ex.arn, options_.max_sync_wait));
    WriteSyncResult(done, rs);
    return Status::Ok();
  }

  // Body of a synchronous Invoke: the result, or a Lambda-style function error.
  static void WriteSyncResult(const model::DurableExecution& ex, http::Response& rs) {
    if (ex.status == ExecutionStatus::kSucceeded) {
      WriteJson(rs, ex.result.value_or("null"));
      return;
    }
    model::ErrorObject err;
    if (ex.status == ExecutionStatus::kRunning) {
      err.error_type = "DurableExecutionStillRunning";
      err.error_message = "The durable execution is still running; poll GetDurableExecution.";
    } else {
      err = ex.error.value_or(model::ErrorObject{});
      if (!err.error_type) err.error_type = std::string(model::ToString(ex.status));
    }
    rs.headers.emplace("X-Amz-Function-Error", "Unhandled");
    WriteJson(rs, wire::SerializeLambdaFunctionError(err));
  }

  // /2025-12-01/durable-executions/{Arn}[/checkpoint|/state|/history|/stop]
  Status Execution(const http::Request& rq, http::Response& rs) {
    auto parts = PathParts(rq);
    if (parts.size() < 3 || parts.size() > 4) {
      return UnknownOperation(rq);
    }
    const std::string& arn = parts[2];
    std::string op = parts.size() == 4 ? parts[3] : "";
    if (op.empty() && rq.method == "GET") return GetExecution(arn, rq, rs);
    if (op == "history" && rq.method == "GET") return History(arn, rq, rs);
    if (op == "state" && rq.method == "GET") return State(arn, rq, rs);
    if (op == "checkpoint" && rq.method == "POST") return Checkpoint(arn, rq, rs);
    if (op == "stop" && rq.method == "POST") return Stop(arn, rq, rs);
    return UnknownOperation(rq);
  }

  Status GetExecution(const std::string& arn, const http::Request& rq, http::Response& rs) {
    DURABLE_ASSIGN_OR_RETURN(bool include, BoolParam(rq, "IncludeExecutionData", true));
    DURABLE_ASSIGN_OR_RETURN(model::DurableExecution ex, engine_.GetExecution(arn));
    WriteJson(rs, wire::SerializeGetExecutionResponse(ex, include));
    return Status::Ok();
  }

  Status History(const std::string& arn, const http::Request& rq, http::Response& rs) {
    model::HistoryRequest req;
    DURABLE_ASSIGN_OR_RETURN(req.include_execution_data,
                             BoolParam(rq, "IncludeExecutionData", true));
    DURABLE_ASSIGN_OR_RETURN(req.reverse_order, BoolParam(rq, "ReverseOrder", false));
    DURABLE_ASSIGN_OR_RETURN(req.max_items, IntParam(rq, "MaxItems", 0, 1000));
    req.marker = rq.Query("Marker");
    DURABLE_ASSIGN_OR_RETURN(model::HistoryResponse page, engine_.GetHistory(arn, req));
    WriteJson(rs, wire::SerializeHistoryResponse(page, req.include_execution_data));
    return Status::Ok();
  }

  Status State(const std::string& arn, const http::Request& rq, http::Response& rs) {
    model::StateRequest req;
    auto token = rq.Query("CheckpointToken");
    if (!token || token->empty()) return InvalidToken("Invalid Checkpoint Token: missing.");
    req.checkpoint_token = *token;
    req.marker = rq.Query("Marker");
    DURABLE_ASSIGN_OR_RETURN(req.max_items, IntParam(rq, "MaxItems", 0, 1000));
    DURABLE_ASSIGN_OR_RETURN(model::StateResponse page, engine_.GetState(arn, req));
    WriteJson(rs, wire::SerializeStateResponse(page));
    return Status::Ok();
  }

  Status Checkpoint(const std::string& arn, const http::Request& rq, http::Response& rs) {
    DURABLE_ASSIGN_OR_RETURN(model::CheckpointRequest req, wire::ParseCheckpointRequest(rq.body));
    DURABLE_ASSIGN_OR_RETURN(model::CheckpointResponse resp, engine_.Checkpoint(arn, req));
    // A replayed request is answered with the stored bytes of the first answer.
    WriteJson(rs, resp.serialized ? *resp.serialized : wire::SerializeCheckpointResponse(resp));
    return Status::Ok();
  }

  Status Stop(const std::string& arn, const http::Request& rq, http::Response& rs) {
    DURABLE_ASSIGN_OR_RETURN(std::optional<model::ErrorObject> error,
                             wire::ParseErrorObjectBody(rq.body));
    DURABLE_ASSIGN_OR_RETURN(TimestampMs stopped, engine_.Stop(arn, error));
    WriteJson(rs, wire::SerializeStopResponse(stopped));
    return Status::Ok();
  }

  // POST /2025-12-01/durable-execution-callbacks/{CallbackId}/succeed|fail|heartbeat
  Status Callback(const http::Request& rq, http::Response& rs) {
    auto parts = PathParts(rq);
    if (parts.size() != 4) return UnknownOperation(rq);
    const std::string& id = parts[2];
    const std::string& action = parts[3];
    // The resumed invocation a result starts may run on this thread after the response.
    after_reply::Allow allow;
    if (action == "succeed") {
      if (rq.body.size() > options_.max_callback_result_bytes) {
        return PayloadTooLarge("Callback result must be at most " +
                               std::to_string(options_.max_callback_result_bytes) + " bytes.");
      }
      DURABLE_RETURN_IF_ERROR(engine_.CallbackSucceed(id, rq.body));
    } else if (action == "fail") {
      DURABLE_ASSIGN_OR_RETURN(std::optional<model::ErrorObject> error,
                               wire::ParseErrorObjectBody(rq.body));
      DURABLE_RETURN_IF_ERROR(engine_.CallbackFail(id, error.value_or(model::ErrorObject{})));
    } else if (action == "heartbeat") {
      DURABLE_RETURN_IF_ERROR(engine_.CallbackHeartbeat(id));
    } else {
      return UnknownOperation(rq);
    }
    WriteJson(rs, "{}");
    return Status::Ok();
  }

  // GET /2025-12-01/functions/{FunctionName}/durable-executions
  Status List(const http::Request& rq, http::Response& rs) {
    auto parts = PathParts(rq);
    if (parts.size() != 4 || parts[3] != "durable-executions") {
      return UnknownOperation(rq);
    }
    model::ListRequest req;
    req.function_name = parts[2];
    req.qualifier = rq.Query("Qualifier");
    req.durable_execution_name = rq.Query("DurableExecutionName");
    for (const auto& s : rq.QueryAll("Statuses")) {
      auto st = model::ParseExecutionStatus(s);
      if (!st) return InvalidArgument("Statuses contains an unknown status: " + s);
      req.statuses.push_back(*st);
    }
    DURABLE_ASSIGN_OR_RETURN(req.started_after, TimeParam(rq, "StartedAfter"));
    DURABLE_ASSIGN_OR_RETURN(req.started_before, TimeParam(rq, "StartedBefore"));
    DURABLE_ASSIGN_OR_RETURN(req.reverse_order, BoolParam(rq, "ReverseOrder", false));
    DURABLE_ASSIGN_OR_RETURN(req.max_items, IntParam(rq, "MaxItems", 0, 1000));
    req.marker = rq.Query("Marker");
    DURABLE_ASSIGN_OR_RETURN(model::ListResponse page, engine_.ListExecutions(req));
    WriteJson(rs, wire::SerializeListResponse(page));
    return Status::Ok();
  }

  engine::Engine& engine_;
  LambdaApiOptions options_;
};

}  // namespace

void RegisterLambdaRoutes(http::Server& server, engine::Engine& engine, LambdaApiOptions options) {
  // The API object lives as long as the routes that capture it.
  auto* api = new LambdaApi(engine, options);
  api->Register(server);
}

}  // namespace durable::api
