// HttpBackend (http_backend.h): one POST per call to /approvals/internal/{op}.
#include "durable/approvals/http_backend.h"

#include <chrono>

#include "durable/approvals/service.h"
#include "durable/base/macros.h"
#include "durable/http/http.h"

namespace durable::approvals {

Result<Json> HttpBackend::Call(const std::string& op, const Json& body) {
  http::Client client(base_url_);
  client.SetTimeout(std::chrono::seconds(60));  // a notify may wait on a slow mail server
  http::Headers headers;
  headers.emplace("Authorization", "Bearer " + token_);
  DURABLE_ASSIGN_OR_RETURN(http::ClientResponse r,
                           client.Send("POST", "/approvals/internal/" + op, body.dump(), headers));
  Json answer = Json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (r.status != 200) {
    std::string message = "approvals " + op + ": HTTP " + std::to_string(r.status);
    if (answer.is_object() && answer.value("message", Json()).is_string()) {
      message += ": " + answer["message"].get<std::string>();
    }
    return StatusFromHttp(r.status, message);
  }
  if (answer.is_discarded() || !answer.is_object()) {
    return Internal("approvals " + op + ": the answer is not a JSON object");
  }
  return answer;
}

Result<Registration> HttpBackend::Register(const RegisterRequest& request) {
  Json body = {{"request_key", request.request_key},
               {"spec", ToJson(request.spec)},
               {"execution_arn", request.execution_arn}};
  if (request.approval_id) body["approval_id"] = *request.approval_id;
  DURABLE_ASSIGN_OR_RETURN(Json a, Call("register", body));
  Registration out;
  if (!a.value("approval_id", Json()).is_string()) {
    return Internal("approvals register: no approval_id in the answer");
  }
  out.approval_id = a["approval_id"].get<std::string>();
  out.created_at_ms = a.value("created_at_ms", int64_t{0});
  out.expires_at_ms = a.value("expires_at_ms", int64_t{0});
  return out;
}

Result<ApprovalResult> HttpBackend::Attach(const std::string& approval_id,
                                           const std::string& callback_id) {
  DURABLE_ASSIGN_OR_RETURN(
      Json a, Call("attach", {{"approval_id", approval_id}, {"callback_id", callback_id}}));
  return ResultFromJson(a);
}

Status HttpBackend::Notify(const std::string& approval_id, NotificationKind kind, int sequence) {
  return Call("notify",
              {{"approval_id", approval_id}, {"kind", ToString(kind)}, {"sequence", sequence}})
      .status();
}

Status HttpBackend::Escalate(const std::string& approval_id) {
  return Call("escalate", {{"approval_id", approval_id}}).status();
}

Result<ApprovalResult> HttpBackend::Expire(const std::string& approval_id) {
  DURABLE_ASSIGN_OR_RETURN(Json a, Call("expire", {{"approval_id", approval_id}}));
  return ResultFromJson(a);
}

Status HttpBackend::Complete(const std::string& approval_id) {
  return Call("complete", {{"approval_id", approval_id}}).status();
}

}  // namespace durable::approvals
