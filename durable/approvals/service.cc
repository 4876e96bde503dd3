// The approvals state machine (service.h): creation, listing, decisions with quorum / veto /
// first-wins, cancellation, expiry, notifications with dedupe, and waking the workflow.
#include "durable/approvals/service.h"

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <set>

#include "durable/approvals/workflow.h"
#include "durable/base/ids.h"
#include "durable/base/log.h"
#include "durable/base/macros.h"
#include "durable/base/utf8.h"
#include "durable/http/http.h"

namespace durable::approvals {
namespace {

constexpr int kMaxListLimit = 100;
constexpr size_t kMaxCommentChars = 4096;
constexpr size_t kMaxRequestIdChars = 128;
// The spec travels in the workflow's Invoke payload (at most 1 MiB for InvocationType Event).
constexpr size_t kMaxSpecBytes = 256 * 1024;

Status CheckComment(const std::string& comment) {
  if (comment.size() > kMaxCommentChars) {
    return InvalidArgument("comment must be at most " + std::to_string(kMaxCommentChars) +
                           " characters");
  }
  if (!IsValidUtf8(comment)) return InvalidArgument("comment must be valid UTF-8");
  return Status::Ok();
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// request_key forms: "req:<requester>:<request_id>" (API with request_id), "id:<approval id>"
// (API without one, or registered by id), anything else (a workflow's own key).
std::string ApiRequestKey(const std::string& requester, const std::string& request_id) {
  return "req:" + requester + ":" + request_id;
}

Json RequestIdOf(const ApprovalRecord& r) {
  std::string prefix = "req:" + r.requester + ":";
  if (r.request_key.rfind(prefix, 0) == 0) return r.request_key.substr(prefix.size());
  if (r.request_key.rfind("id:", 0) == 0) return nullptr;
  return r.request_key;
}

std::string EncodeCursor(int64_t at, const std::string& id) {
  return Base64Encode(std::to_string(at) + ":" + id);
}

bool DecodeCursor(const std::string& token, int64_t* at, std::string* id) {
  std::string raw;
  if (!Base64Decode(token, &raw)) return false;
  size_t colon = raw.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  try {
    size_t used = 0;
    *at = std::stoll(raw.substr(0, colon), &used);
    if (used != colon) return false;
  } catch (const std::exception&) {
    return false;
  }
  *id = raw.substr(colon + 1);
  return !id->empty();
}

// Closes the pending approval `rec` as expired at `now` and audits it; false (and `rec` left as
// it was) when another writer closed it first. REQUIRES: inside a write transaction.
Result<bool> CloseAsExpired(StoreTx& tx, ApprovalRecord& rec, int64_t now) {
  DURABLE_ASSIGN_OR_RETURN(bool closed, tx.Close(rec.id, ApprovalStatus::kExpired, now));
  if (!closed) return false;
  DURABLE_RETURN_IF_ERROR(tx.Audit(rec.id, now, "expired", "system"));
  rec.status = ApprovalStatus::kExpired;
  return true;
}

}  // namespace

// --- errors ---

namespace {

// The API's error statuses and their AWS error types, one row per Status code; both directions
// below read it, so they cannot drift apart.
struct HttpMapping {
  StatusCode code;
  int http_status;
  const char* type;
};
constexpr HttpMapping kHttpMappings[] = {
    {StatusCode::kInvalidArgument, 400, "ValidationException"},
    {StatusCode::kInvalidToken, 401, "UnauthorizedException"},
    {StatusCode::kFailedPrecondition, 403, "AccessDeniedException"},
    {StatusCode::kNotFound, 404, "ResourceNotFoundException"},
    {StatusCode::kAlreadyExists, 409, "ConflictException"},
    {StatusCode::kCallbackClosed, 410, "GoneException"},
    {StatusCode::kPayloadTooLarge, 413, "RequestEntityTooLargeException"},
    {StatusCode::kUnavailable, 503, "ServiceUnavailableException"},
};

}  // namespace

HttpError ToHttpError(const Status& status) {
  if (status.ok()) return {200, ""};
  for (const HttpMapping& m : kHttpMappings) {
    if (m.code == status.code()) return {m.http_status, m.type};
  }
  return {500, "ServiceException"};
}

Status StatusFromHttp(int http_status, const std::string& message) {
  for (const HttpMapping& m : kHttpMappings) {
    if (m.http_status == http_status) return Status(m.code, message);
  }
  // Throttling and gateway errors are worth a retry, like 503.
  if (http_status == 429 || http_status == 502 || http_status == 504) return Unavailable(message);
  return Internal(message);
}

std::optional<NotificationKind> NotificationKindFromString(const std::string& text) {
  for (NotificationKind k : {NotificationKind::kRequest, NotificationKind::kReminder,
                             NotificationKind::kEscalation, NotificationKind::kOutcome}) {
    if (ToString(k) == text) return k;
  }
  return std::nullopt;
}

// --- HttpLambdaApi ---

namespace {

// One request to the Lambda API at `base_url` (30 s timeout). A status not in `ok_statuses`
// becomes the matching Status (StatusFromHttp), "<what>: HTTP <status> <body>".
Result<http::ClientResponse> CallLambdaApi(const std::string& base_url, const std::string& what,
                                           const std::string& method, const std::string& path,
                                           const std::string& body, const http::Headers& headers,
                                           const std::string& content_type = "application/json",
                                           std::initializer_list<int> ok_statuses = {200}) {
  http::Client client(base_url);
  client.SetTimeout(std::chrono::seconds(30));
  DURABLE_ASSIGN_OR_RETURN(http::ClientResponse r,
                           client.Send(method, path, body, headers, content_type));
  if (std::find(ok_statuses.begin(), ok_statuses.end(), r.status) == ok_statuses.end()) {
    return StatusFromHttp(r.status, what + ": HTTP " + std::to_string(r.status) + " " + r.body);
  }
  return r;
}

}  // namespace

void HttpLambdaApi::SetBaseUrl(std::string base_url) {
  std::lock_guard lock(mu_);
  base_url_ = std::move(base_url);
}

std::string HttpLambdaApi::base_url() const {
  std::lock_guard lock(mu_);
  return base_url_;
}

Status HttpLambdaApi::SendCallbackSuccess(const std::string& callback_id,
                                          const std::string& result) {
  return CallLambdaApi(
             base_url(), "SendDurableExecutionCallbackSuccess", "POST",
             "/2025-12-01/durable-execution-callbacks/" + PercentEncode(callback_id) + "/succeed",
             result, {}, "application/octet-stream")
      .status();
}

Result<std::string> HttpLambdaApi::StartExecution(const std::string& function,
                                                  const std::string& name,
                                                  const std::string& payload) {
  http::Headers headers;
  headers.emplace("X-Amz-Invocation-Type", "Event");
  headers.emplace("X-Amz-Durable-Execution-Name", name);
  // 409 (DurableExecutionAlreadyStartedException) becomes kAlreadyExists.
  DURABLE_ASSIGN_OR_RETURN(
      http::ClientResponse r,
      CallLambdaApi(base_url(), "Invoke " + function, "POST",
                    "/2015-03-31/functions/" + PercentEncode(function) + "/invocations", payload,
                    headers, "application/json", {202, 200}));
  auto arn = r.Header("X-Amz-Durable-Execution-Arn");
  if (!arn || arn->empty()) return Internal("Invoke " + function + ": no execution ARN");
  return *arn;
}

Result<std::optional<std::string>> HttpLambdaApi::FindExecution(const std::string& function,
                                                                const std::string& name) {
  DURABLE_ASSIGN_OR_RETURN(
      http::ClientResponse r,
      CallLambdaApi(base_url(), "ListDurableExecutionsByFunction " + function, "GET",
                    "/2025-12-01/functions/" + PercentEncode(function) +
                        "/durable-executions?DurableExecutionName=" + PercentEncode(name),
                    "", {}));
  Json page = Json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (!page.is_object() || !page.contains("DurableExecutions") ||
      !page["DurableExecutions"].is_array()) {
    return Internal("ListDurableExecutionsByFunction " + function + ": unexpected answer");
  }
  for (const Json& item : page["DurableExecutions"]) {
    if (item.value("DurableExecutionName", "") == name && item.contains("DurableExecutionArn") &&
        item["DurableExecutionArn"].is_string()) {
      return std::optional<std::string>(item["DurableExecutionArn"].get<std::string>());
    }
  }
  return std::optional<std::string>();
}

// --- JSON ---

Json ToApiJson(const ApprovalView& v, bool with_audit) {
  const ApprovalRecord& r = v.record;
  int approvals = 0;
  Json decisions = Json::array();
  for (const Decision& d : v.decisions) {
    if (d.decision == "approve") ++approvals;
    decisions.push_back(ToJson(d));
  }
  Json j = Json::object();
  j["approval_id"] = r.id;
  j["request_id"] = RequestIdOf(r);
  j["status"] = ToString(r.status);
  j["title"] = r.spec.title;
  j["description"] = r.spec.description;
  j["requester"] = r.requester;
  j["approvers"] = r.approvers;
  j["escalation_approvers"] = r.spec.escalation.approvers;
  j["quorum"] = r.spec.quorum;
  j["timeout_seconds"] = r.spec.timeout_seconds;
  j["reminder_interval_seconds"] = r.spec.reminder_interval_seconds;
  j["escalation"] = {{"after_seconds", r.spec.escalation.after_seconds},
                     {"approvers", r.spec.escalation.approvers}};
  j["payload"] = r.spec.payload;
  j["created_at"] = FormatTimeMs(r.created_at_ms);
  j["expires_at"] = FormatTimeMs(r.expires_at_ms);
  j["decided_at"] = r.decided_at_ms ? Json(FormatTimeMs(*r.decided_at_ms)) : Json(nullptr);
  j["execution_arn"] = r.execution_arn;
  j["approvals_count"] = approvals;
  j["decisions"] = decisions;
  if (with_audit) {
    Json audit = Json::array();
    for (const AuditEntry& e : v.audit) {
      audit.push_back({{"seq", e.seq},
                       {"at", FormatTimeMs(e.at_ms)},
                       {"kind", e.kind},
                       {"actor", e.actor},
                       {"detail", e.detail}});
    }
    j["audit"] = audit;
  }
  return j;
}

// --- Service ---

Service::Service(Store* store, const Identity* identity, Links* links,
                 std::vector<Notifier*> notifiers, LambdaApi* lambda, const Clock* clock,
                 ServiceOptions options)
    : store_(store),
      identity_(identity),
      links_(links),
      notifiers_(std::move(notifiers)),
      lambda_(lambda),
      clock_(clock),
      options_(std::move(options)),
      claim_owner_(RandomAlnum(16)) {}

Status Service::Recover() {
  int64_t released = 0;
  DURABLE_RETURN_IF_ERROR(store_->Write([&](StoreTx& tx) -> Status {
    DURABLE_ASSIGN_OR_RETURN(released, tx.ReleaseClaimsNotOwnedBy(claim_owner_));
    return Status::Ok();
  }));
  if (released > 0) {
    log::Info("approvals: released {} notification claim(s) of an earlier process", released);
  }

  // Pending approvals created through the API (request_key "req:..." or "id:...") whose workflow
  // never started. Rows of a workflow's own Register always carry its execution ARN.
  ListFilter f;
  f.status = ApprovalStatus::kPending;
  f.without_execution = true;
  f.limit = 100;
  int started = 0, failed = 0;
  std::string last_error;
  while (true) {
    std::vector<ApprovalRecord> rows;
    DURABLE_RETURN_IF_ERROR(store_->Read([&](StoreTx& tx) -> Status {
      DURABLE_ASSIGN_OR_RETURN(rows, tx.List(f));
      return Status::Ok();
    }));
    for (ApprovalRecord& r : rows) {
      if (r.request_key.rfind("req:", 0) != 0 && r.request_key.rfind("id:", 0) != 0) continue;
      ApprovalView view;
      view.record = r;
      Status st = StartWorkflow(view);
      if (st.ok()) {
        ++started;
        log::Info("approvals: started the workflow of {} (it had none): {}", r.id,
                  view.record.execution_arn);
      } else {
        ++failed;
        last_error = r.id + ": " + st.message();
        log::Warn("approvals: starting the workflow of {} failed: {}", r.id, st.message());
      }
    }
    if (static_cast<int>(rows.size()) < f.limit) break;
    f.before_created_at_ms = rows.back().created_at_ms;
    f.before_id = rows.back().id;
  }
  if (failed > 0) {
    return Unavailable(std::to_string(failed) + " approval workflow(s) could not start (" +
                       std::to_string(started) + " started); last: " + last_error);
  }
  return Status::Ok();
}

void Service::SetPublicUrl(const std::string& url) {
  std::lock_guard lock(options_mu_);
  options_.public_url = url;
  while (!options_.public_url.empty() && options_.public_url.back() == '/') {
    options_.public_url.pop_back();
  }
}

std::string Service::public_url() const {
  std::lock_guard lock(options_mu_);
  return options_.public_url;
}

std::mutex& Service::LockFor(const std::string& id) {
  return locks_[std::hash<std::string>{}(id) % locks_.size()];
}

ApprovalResult Service::ResultOf(const ApprovalRecord& record, std::vector<Decision> decisions) {
  ApprovalResult result;
  result.approval_id = record.id;
  result.status = record.status;
  result.decisions = std::move(decisions);
  return result;
}

void Service::WakeWorkflow(const std::string& callback_id, const ApprovalResult& result) {
  if (callback_id.empty() || lambda_ == nullptr) return;
  Status st = lambda_->SendCallbackSuccess(
      callback_id, ToJson(result).dump(-1, ' ', false, Json::error_handler_t::replace));
  if (!st.ok()) {
    // Not lost: the workflow's next Attach or Expire reads the outcome from the row.
    log::Warn("approvals: completing callback of {} failed: {}", result.approval_id, st.message());
  }
}

Result<ApprovalView> Service::LoadLocked(StoreTx& tx, const std::string& id, bool with_audit) {
  DURABLE_ASSIGN_OR_RETURN(std::optional<ApprovalRecord> rec, tx.Find(id));
  if (!rec) return NotFound("Approval " + id + " not found.");
  ApprovalView view;
  view.record = std::move(*rec);
  DURABLE_ASSIGN_OR_RETURN(view.decisions, tx.Decisions(id));
  if (with_audit) {
    DURABLE_ASSIGN_OR_RETURN(view.audit, tx.AuditLog(id));
  }
  return view;
}

Result<ApprovalView> Service::Load(const std::string& id, bool with_audit) {
  ApprovalView view;
  DURABLE_RETURN_IF_ERROR(store_->Read([&](StoreTx& tx) -> Status {
    DURABLE_ASSIGN_OR_RETURN(view, LoadLocked(tx, id, with_audit));
    return Status::Ok();
  }));
  return view;
}

Status Service::CheckCanSee(const User& caller, const ApprovalView& v) const {
  if (caller.Has(kRoleAdmin) || caller.Has(kRoleService)) return Status::Ok();
  if (v.record.requester == caller.id || Contains(v.record.approvers, caller.id)) {
    return Status::Ok();
  }
  for (const Decision& d : v.decisions) {
    if (d.approver == caller.id) return Status::Ok();
  }
  return Forbidden("You may not see approval " + v.record.id + ".");
}

Recipient Service::RecipientOf(const std::string& user_id) const {
  Recipient r;
  r.user_id = user_id;
  r.name = user_id;
  if (const User* u = identity_->Find(user_id)) {
    r.name = u->name;
    r.email = u->email;
  }
  return r;
}

Result<CreateResult> Service::Create(const User& caller, const CreateRequest& request) {
  bool admin = caller.Has(kRoleAdmin);
  if (!admin && !caller.Has(kRoleRequester)) {
    return Forbidden("Only users with the requester or admin role may request approvals.");
  }
  if (!request.spec.is_object()) return InvalidArgument("The body must be a JSON object.");
  Json spec_json = request.spec;
  auto req = spec_json.find("requester");
  if (req == spec_json.end() || req->is_null() ||
      (req->is_string() && req->get<std::string>().empty())) {
    spec_json["requester"] = caller.id;
  } else if (!admin && (!req->is_string() || req->get<std::string>() != caller.id)) {
    return Forbidden("Only an admin may request an approval on behalf of another user.");
  }
  DURABLE_ASSIGN_OR_RETURN(ApprovalSpec spec, SpecFromJson(spec_json));
  if (identity_->Find(spec.requester) == nullptr) {
    return InvalidArgument("requester \"" + spec.requester + "\" is not a known user");
  }
  auto check_users = [&](const std::vector<std::string>& ids, const std::string& field) -> Status {
    for (size_t i = 0; i < ids.size(); ++i) {
      if (identity_->Find(ids[i]) == nullptr) {
        return InvalidArgument(field + "[" + std::to_string(i) + "] \"" + ids[i] +
                               "\" is not a known user");
      }
      if (ids[i] == spec.requester) {
        return InvalidArgument(field + "[" + std::to_string(i) +
                               "]: the requester cannot approve their own request");
      }
    }
    return Status::Ok();
  };
  DURABLE_RETURN_IF_ERROR(check_users(spec.approvers, "approvers"));
  DURABLE_RETURN_IF_ERROR(check_users(spec.escalation.approvers, "escalation.approvers"));
  if (request.request_id &&
      (request.request_id->empty() || request.request_id->size() > kMaxRequestIdChars)) {
    return InvalidArgument("request_id must be 1-" + std::to_string(kMaxRequestIdChars) +
                           " characters");
  }

  if (ToJson(spec).dump().size() > kMaxSpecBytes) {
    return InvalidArgument("the approval spec must be at most " + std::to_string(kMaxSpecBytes) +
                           " bytes of JSON");
  }

  std::string id = NewUuid();
  std::string key =
      request.request_id ? ApiRequestKey(spec.requester, *request.request_id) : "id:" + id;
  CreateResult out;
  DURABLE_RETURN_IF_ERROR(store_->Write([&](StoreTx& tx) -> Status {
    DURABLE_ASSIGN_OR_RETURN(std::optional<std::string> existing, tx.FindIdByRequestKey(key));
    if (existing) {
      id = *existing;
      out.created = false;
    } else {
      ApprovalRecord r;
      r.id = id;
      r.request_key = key;
      r.spec = spec;
      r.requester = spec.requester;
      r.created_at_ms = clock_->NowMs();
      r.expires_at_ms = r.created_at_ms + spec.timeout_seconds * 1000;
      r.approvers = spec.approvers;
      DURABLE_RETURN_IF_ERROR(tx.Insert(r));
      // The actor is who did it (an admin may create on behalf of the requester); the detail
      // names the requester.
      DURABLE_RETURN_IF_ERROR(tx.Audit(id, r.created_at_ms, "requested", caller.id,
                                       {{"via", "api"}, {"requester", r.requester}}));
      out.created = true;
    }
    DURABLE_ASSIGN_OR_RETURN(out.approval, LoadLocked(tx, id, false));
    return Status::Ok();
  }));
  if (out.approval.record.execution_arn.empty()) {
    Status started = StartWorkflow(out.approval);
    if (!started.ok()) {
      // With a request_id the caller retries and the same row gets its workflow; without one
      // nobody could, so the row must not stay pending with nothing waiting on it.
      if (!request.request_id) {
        Status closed = store_->Write([&](StoreTx& tx) -> Status {
          int64_t now = clock_->NowMs();
          DURABLE_ASSIGN_OR_RETURN(bool c, tx.Close(id, ApprovalStatus::kCancelled, now));
          if (!c) return Status::Ok();
          return tx.Audit(
              id, now, "cancelled", "system",
              {{"comment", "the approval workflow could not start: " + started.message()}});
        });
        if (!closed.ok()) log::Warn("approvals: closing {} failed: {}", id, closed.message());
      }
      return Unavailable("The approval workflow could not start: " + started.message());
    }
  }
  return out;
}

Status Service::StartWorkflow(ApprovalView& view) {
  if (lambda_ == nullptr) return Internal("approvals: no Lambda API to start the workflow");
  const ApprovalRecord& r = view.record;
  Json input = {{"approval_id", r.id}, {"spec", ToJson(r.spec)}};
  const std::string name = "approval-" + r.id;
  Result<std::string> started = lambda_->StartExecution(kWorkflowFunctionName, name, input.dump());
  std::string arn;
  if (started.ok()) {
    arn = *started;
  } else if (started.status().code() == StatusCode::kAlreadyExists) {
    // Started before (e.g. with a spec that serialized differently): that execution is this
    // approval's workflow.
    DURABLE_ASSIGN_OR_RETURN(std::optional<std::string> existing,
                             lambda_->FindExecution(kWorkflowFunctionName, name));
    if (!existing) return started.status();
    arn = *existing;
  } else {
    return started.status();
  }
  DURABLE_RETURN_IF_ERROR(
      store_->Write([&](StoreTx& tx) { return tx.SetExecutionArn(r.id, arn); }));
  view.record.execution_arn = arn;
  return Status::Ok();
}

Result<ListPage> Service::List(const User& caller, const ListQuery& q) {
  ListFilter f;
  if (q.limit < 1 || q.limit > kMaxListLimit) {
    return InvalidArgument("limit must be between 1 and " + std::to_string(kMaxListLimit));
  }
  f.limit = q.limit + 1;  // one more tells whether there is a next page
  if (q.status && !q.status->empty()) {
    auto s = StatusFromString(*q.status);
    if (!s) {
      return InvalidArgument(
          "status must be one of pending, approved, rejected, expired, "
          "cancelled");
    }
    f.status = *s;
  }
  auto who = [&](const std::optional<std::string>& v) -> std::optional<std::string> {
    if (!v || v->empty()) return std::nullopt;
    return *v == "me" ? caller.id : *v;
  };
  f.approver = who(q.approver);
  f.requester = who(q.requester);
  if (!caller.Has(kRoleAdmin) && !caller.Has(kRoleService)) f.visible_to = caller.id;
  if (q.next_token && !q.next_token->empty()) {
    int64_t at = 0;
    if (!DecodeCursor(*q.next_token, &at, &f.before_id)) {
      return InvalidArgument("next_token is not valid");
    }
    f.before_created_at_ms = at;
  }
  ListPage page;
  DURABLE_RETURN_IF_ERROR(store_->Read([&](StoreTx& tx) -> Status {
    DURABLE_ASSIGN_OR_RETURN(std::vector<ApprovalRecord> rows, tx.List(f));
    if (static_cast<int>(rows.size()) > q.limit) {
      rows.resize(q.limit);
      page.next_token = EncodeCursor(rows.back().created_at_ms, rows.back().id);
    }
    for (ApprovalRecord& r : rows) {
      ApprovalView v;
      DURABLE_ASSIGN_OR_RETURN(v.decisions, tx.Decisions(r.id));
      v.record = std::move(r);
      page.items.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return page;
}

Result<ApprovalView> Service::Get(const User& caller, const std::string& id) {
  DURABLE_ASSIGN_OR_RETURN(ApprovalView view, Load(id, /*with_audit=*/true));
  DURABLE_RETURN_IF_ERROR(CheckCanSee(caller, view));
  return view;
}

Result<ApprovalView> Service::Decide(const std::string& approver, const std::string& id,
                                     const std::string& decision, const std::string& comment,
                                     const std::string& via) {
  if (decision != "approve" && decision != "reject") {
    return InvalidArgument("decision must be \"approve\" or \"reject\"");
  }
  DURABLE_RETURN_IF_ERROR(CheckComment(comment));
  std::optional<ApprovalResult> outcome;
  std::string callback_id;
  bool gone = false;
  {
    std::lock_guard lock(LockFor(id));
    DURABLE_RETURN_IF_ERROR(store_->Write([&](StoreTx& tx) -> Status {
      DURABLE_ASSIGN_OR_RETURN(std::optional<ApprovalRecord> rec, tx.Find(id));
      if (!rec) return NotFound("Approval " + id + " not found.");
      if (approver == rec->requester) {
        return Forbidden("The requester cannot decide their own request.");
      }
      if (!Contains(rec->approvers, approver)) {
        return Forbidden(approver + " is not an approver of " + id + ".");
      }
      if (rec->status == ApprovalStatus::kExpired) {
        return Gone("Approval " + id + " expired at " + FormatTimeMs(rec->expires_at_ms) + ".");
      }
      int64_t now = clock_->NowMs();
      if (rec->status == ApprovalStatus::kPending && now >= rec->expires_at_ms) {
        // Late decision: the approval is over. Record the expiry now and wake the workflow.
        DURABLE_ASSIGN_OR_RETURN(bool closed, CloseAsExpired(tx, *rec, now));
        if (closed) {
          DURABLE_ASSIGN_OR_RETURN(std::vector<Decision> ds, tx.Decisions(id));
          outcome = ResultOf(*rec, std::move(ds));
          callback_id = rec->callback_id;
        }
        gone = true;
        return Status::Ok();
      }
      if (rec->status != ApprovalStatus::kPending) {
        return Conflict("Approval " + id + " is already " + ToString(rec->status) + ".");
      }
      Decision d;
      d.approver = approver;
      d.decision = decision;
      d.comment = comment;
      d.via = via;
      d.at_ms = now;
      DURABLE_ASSIGN_OR_RETURN(bool inserted, tx.InsertDecision(id, d));
      if (!inserted) return Conflict(approver + " already decided on " + id + ".");
      DURABLE_RETURN_IF_ERROR(
          tx.Audit(id, now, "decided", approver,
                   {{"decision", decision}, {"comment", comment}, {"via", via}}));
      DURABLE_ASSIGN_OR_RETURN(std::vector<Decision> ds, tx.Decisions(id));
      int approvals = 0;
      for (const Decision& x : ds) approvals += x.decision == "approve" ? 1 : 0;
      std::optional<ApprovalStatus> reached;
      if (decision == "reject") {
        reached = ApprovalStatus::kRejected;  // any one rejection vetoes
      } else if (approvals >= rec->spec.quorum) {
        reached = ApprovalStatus::kApproved;
      }
      if (reached) {
        DURABLE_ASSIGN_OR_RETURN(bool closed, tx.Close(id, *reached, now));
        if (!closed) return Conflict("Approval " + id + " is no longer pending.");
        DURABLE_RETURN_IF_ERROR(tx.Audit(id, now, ToString(*reached), "system",
                                         {{"approvals", approvals}, {"quorum", rec->spec.quorum}}));
        rec->status = *reached;
        outcome = ResultOf(*rec, std::move(ds));
        callback_id = rec->callback_id;
      }
      return Status::Ok();
    }));
  }
  if (outcome) WakeWorkflow(callback_id, *outcome);
  if (gone) return Gone("Approval " + id + " has expired.");
  return Load(id, /*with_audit=*/false);
}

Result<ApprovalView> Service::Cancel(const User& caller, const std::string& id,
                                     const std::string& comment) {
  DURABLE_RETURN_IF_ERROR(CheckComment(comment));
  std::optional<ApprovalResult> outcome;
  std::string callback_id;
  {
    std::lock_guard lock(LockFor(id));
    DURABLE_RETURN_IF_ERROR(store_->Write([&](StoreTx& tx) -> Status {
      DURABLE_ASSIGN_OR_RETURN(std::optional<ApprovalRecord> rec, tx.Find(id));
      if (!rec) return NotFound("Approval " + id + " not found.");
      if (!caller.Has(kRoleAdmin) && caller.id != rec->requester) {
        return Forbidden("Only the requester or an admin may cancel " + id + ".");
      }
      if (rec->status != ApprovalStatus::kPending) {
        return Conflict("Approval " + id + " is already " + ToString(rec->status) + ".");
      }
      int64_t now = clock_->NowMs();
      DURABLE_ASSIGN_OR_RETURN(bool closed, tx.Close(id, ApprovalStatus::kCancelled, now));
      if (!closed) return Conflict("Approval " + id + " is no longer pending.");
      DURABLE_RETURN_IF_ERROR(tx.Audit(id, now, "cancelled", caller.id, {{"comment", comment}}));
      rec->status = ApprovalStatus::kCancelled;
      DURABLE_ASSIGN_OR_RETURN(std::vector<Decision> ds, tx.Decisions(id));
      outcome = ResultOf(*rec, std::move(ds));
      callback_id = rec->callback_id;
      return Status::Ok();
    }));
  }
  WakeWorkflow(callback_id, *outcome);
  return Load(id, /*with_audit=*/false);
}

Result<LinkView> Service::InspectLink(const std::string& token) {
  if (links_ == nullptr) return Internal("approvals: links are not configured");
  LinkView view;
  DURABLE_ASSIGN_OR_RETURN(view.check, links_->Check(token));
  if (view.check.problem != LinkProblem::kForged) {
    auto loaded = Load(view.check.claims.approval_id, /*with_audit=*/false);
    if (loaded.ok()) {
      view.approval = std::move(loaded).value();
    } else if (loaded.status().code() == StatusCode::kNotFound) {
      view.check.problem = LinkProblem::kForged;
    } else {
      return loaded.status();
    }
  }
  return view;
}

Result<ApprovalView> Service::DecideByLink(const std::string& token, const std::string& decision,
                                           const std::string& comment) {
  DURABLE_ASSIGN_OR_RETURN(LinkView view, InspectLink(token));
  switch (view.check.problem) {
    case LinkProblem::kForged:
      return Forbidden("This link is not valid.");
    case LinkProblem::kUsed:
      return Conflict("This link has already been used.");
    case LinkProblem::kExpired:
      return Gone("This link has expired.");
    case LinkProblem::kNone:
      break;
  }
  const LinkClaims& c = view.check.claims;
  DURABLE_ASSIGN_OR_RETURN(ApprovalView decided,
                           Decide(c.approver, c.approval_id, decision, comment, "link"));
  DURABLE_ASSIGN_OR_RETURN(bool marked, links_->MarkUsed(c.jti));
  (void)marked;  // a concurrent use of the same link lost in Decide (the approver decided once)
  return decided;
}

// --- ApprovalsBackend ---

Result<Registration> Service::Register(const RegisterRequest& request) {
  if (!request.approval_id && request.request_key.empty()) {
    return InvalidArgument("register needs an approval_id or a request_key");
  }
  if (request.spec.approvers.empty() || request.spec.requester.empty()) {
    return InvalidArgument("register: the spec needs a requester and approvers");
  }
  Registration out;
  DURABLE_RETURN_IF_ERROR(store_->Write([&](StoreTx& tx) -> Status {
    std::optional<std::string> id;
    if (request.approval_id) {
      DURABLE_ASSIGN_OR_RETURN(std::optional<ApprovalRecord> rec, tx.Find(*request.approval_id));
      if (rec) id = rec->id;
    } else {
      DURABLE_ASSIGN_OR_RETURN(id, tx.FindIdByRequestKey(request.request_key));
    }
    if (!id) {
      ApprovalRecord r;
      r.id = request.approval_id.value_or(NewUuid());
      r.request_key = request.approval_id ? "id:" + r.id : request.request_key;
      r.execution_arn = request.execution_arn;
      r.spec = request.spec;
      r.requester = request.spec.requester;
      r.created_at_ms = clock_->NowMs();
      r.expires_at_ms = r.created_at_ms + request.spec.timeout_seconds * 1000;
      r.approvers = request.spec.approvers;
      DURABLE_RETURN_IF_ERROR(tx.Insert(r));
      DURABLE_RETURN_IF_ERROR(tx.Audit(r.id, r.created_at_ms, "requested", r.requester,
                                       {{"via", "workflow"}, {"requester", r.requester}}));
      id = r.id;
    }
    DURABLE_ASSIGN_OR_RETURN(std::optional<ApprovalRecord> rec, tx.Find(*id));
    if (rec->execution_arn.empty() && !request.execution_arn.empty()) {
      DURABLE_RETURN_IF_ERROR(tx.SetExecutionArn(*id, request.execution_arn));
    }
    out.approval_id = rec->id;
    out.created_at_ms = rec->created_at_ms;
    out.expires_at_ms = rec->expires_at_ms;
    return Status::Ok();
  }));
  return out;
}

Result<ApprovalResult> Service::Attach(const std::string& approval_id,
                                       const std::string& callback_id) {
  std::lock_guard lock(LockFor(approval_id));
  ApprovalResult result;
  DURABLE_RETURN_IF_ERROR(store_->Write([&](StoreTx& tx) -> Status {
    DURABLE_ASSIGN_OR_RETURN(std::optional<ApprovalRecord> rec, tx.Find(approval_id));
    if (!rec) return NotFound("Approval " + approval_id + " not found.");
    if (rec->status == ApprovalStatus::kPending) {
      DURABLE_RETURN_IF_ERROR(tx.SetCallback(approval_id, callback_id));
    }
    DURABLE_ASSIGN_OR_RETURN(std::vector<Decision> ds, tx.Decisions(approval_id));
    result = ResultOf(*rec, std::move(ds));
    return Status::Ok();
  }));
  return result;
}

Status Service::Escalate(const std::string& approval_id) {
  std::lock_guard lock(LockFor(approval_id));
  return store_->Write([&](StoreTx& tx) -> Status {
    DURABLE_ASSIGN_OR_RETURN(std::optional<ApprovalRecord> rec, tx.Find(approval_id));
    if (!rec) return NotFound("Approval " + approval_id + " not found.");
    if (rec->status != ApprovalStatus::kPending) return Status::Ok();
    for (const std::string& a : rec->spec.escalation.approvers) {
      if (a == rec->requester) continue;  // never lets the requester decide
      DURABLE_ASSIGN_OR_RETURN(bool added, tx.AddApprover(approval_id, a, "escalation"));
      (void)added;
    }
    DURABLE_ASSIGN_OR_RETURN(bool done, tx.HasAudit(approval_id, "escalated"));
    if (!done) {
      DURABLE_RETURN_IF_ERROR(tx.Audit(approval_id, clock_->NowMs(), "escalated", "system",
                                       {{"approvers", rec->spec.escalation.approvers}}));
    }
    return Status::Ok();
  });
}

Result<ApprovalResult> Service::Expire(const std::string& approval_id) {
  std::lock_guard lock(LockFor(approval_id));
  ApprovalResult result;
  DURABLE_RETURN_IF_ERROR(store_->Write([&](StoreTx& tx) -> Status {
    DURABLE_ASSIGN_OR_RETURN(std::optional<ApprovalRecord> rec, tx.Find(approval_id));
    if (!rec) return NotFound("Approval " + approval_id + " not found.");
    if (rec->status == ApprovalStatus::kPending) {
      int64_t now = clock_->NowMs();
      DURABLE_RETURN_IF_ERROR(CloseAsExpired(tx, *rec, now).status());
    }
    DURABLE_ASSIGN_OR_RETURN(std::vector<Decision> ds, tx.Decisions(approval_id));
    result = ResultOf(*rec, std::move(ds));
    return Status::Ok();
  }));
  return result;
}

Status Service::Complete(const std::string& approval_id) {
  return store_->Write([&](StoreTx& tx) -> Status {
    DURABLE_ASSIGN_OR_RETURN(std::optional<ApprovalRecord> rec, tx.Find(approval_id));
    if (!rec) return NotFound("Approval " + approval_id + " not found.");
    DURABLE_ASSIGN_OR_RETURN(bool done, tx.HasAudit(approval_id, "completed"));
    if (done) return Status::Ok();
    return tx.Audit(approval_id, clock_->NowMs(), "completed", "workflow",
                    {{"status", ToString(rec->status)}});
  });
}

Status Service::Notify(const std::string& approval_id, NotificationKind kind, int sequence) {
  DURABLE_ASSIGN_OR_RETURN(ApprovalView view, Load(approval_id, /*with_audit=*/false));
  const ApprovalRecord& r = view.record;
  bool pending = r.status == ApprovalStatus::kPending;
  std::vector<std::string> to;
  switch (kind) {
    case NotificationKind::kRequest:
      if (!pending) return Status::Ok();  // nothing left to ask
      for (const auto& a : r.approvers) {
        if (!Contains(r.escalation_added, a)) to.push_back(a);
      }
      break;
    case NotificationKind::kReminder:
      if (!pending) return Status::Ok();
      for (const auto& a : r.approvers) {
        bool decided = std::any_of(view.decisions.begin(), view.decisions.end(),
                                   [&](const Decision& d) { return d.approver == a; });
        if (!decided) to.push_back(a);
      }
      break;
    case NotificationKind::kEscalation:
      if (!pending) return Status::Ok();
      for (const auto& a : r.spec.escalation.approvers) {
        if (a != r.requester) to.push_back(a);
      }
      break;
    case NotificationKind::kOutcome:
      to.push_back(r.requester);
      break;
  }
  const std::string kind_name = ToString(kind);
  if (kind == NotificationKind::kReminder) {
    DURABLE_RETURN_IF_ERROR(store_->Write([&](StoreTx& tx) -> Status {
      DURABLE_ASSIGN_OR_RETURN(bool done,
                               tx.HasAudit(approval_id, "reminded", "sequence", sequence));
      if (done) return Status::Ok();
      return tx.Audit(approval_id, clock_->NowMs(), "reminded", "system", {{"sequence", sequence}});
    }));
  }

  const std::string base = public_url();
  const std::string ui_url = base + "/ui/#/approvals/" + approval_id;
  Json summary = ToApiJson(view, false);
  const User* requester_user = identity_->Find(r.requester);
  std::string requester_name = requester_user ? requester_user->name : r.requester;
  int failures = 0;
  int in_progress = 0;
  std::string last_error;
  for (const std::string& user_id : to) {
    Notification n;
    n.key = approval_id + "/" + kind_name + "/" + std::to_string(sequence) + "/" + user_id;
    n.approval_id = approval_id;
    n.kind = kind_name;
    n.recipient = RecipientOf(user_id);
    n.data = summary;
    n.data["ui_url"] = ui_url;
    if (kind == NotificationKind::kOutcome) {
      n.subject = r.spec.title + ": " + ToString(r.status);
    } else if (kind == NotificationKind::kReminder) {
      n.subject = "Reminder: approval needed: " + r.spec.title;
    } else if (kind == NotificationKind::kEscalation) {
      n.subject = "Escalated: approval needed: " + r.spec.title;
    } else {
      n.subject = "Approval needed: " + r.spec.title;
    }
    bool needs_link = kind != NotificationKind::kOutcome;
    auto compose = [&] {
      std::string t = "Hello " + n.recipient.name + ",\n\n";
      if (kind == NotificationKind::kOutcome) {
        t += "Your request \"" + r.spec.title + "\" is " + ToString(r.status) + ".\n";
        for (const Decision& d : view.decisions) {
          t += "- " + d.approver + ": " + d.decision +
               (d.comment.empty() ? "" : " (" + d.comment + ")") + "\n";
        }
      } else {
        t += requester_name + " asks for your approval: " + r.spec.title + "\n";
        if (!r.spec.description.empty()) t += "\n" + r.spec.description + "\n";
        if (!r.spec.payload.empty()) t += "\nDetails: " + r.spec.payload.dump() + "\n";
        t += "\nApprovals needed: " + std::to_string(r.spec.quorum) + " of " +
             std::to_string(r.approvers.size()) + ". Expires at " + FormatTimeMs(r.expires_at_ms) +
             ".\n";
        if (!n.action_url.empty()) t += "\nApprove or reject: " + n.action_url + "\n";
      }
      t += "Open in the inbox: " + ui_url + "\n";
      n.text = t;
    };
    compose();
    for (Notifier* notifier : notifiers_) {
      const std::string channel = notifier->channel();
      const std::string dkey = n.key + "/" + channel;
      // Claim the key first (one transaction), so that of two concurrent calls for the same
      // key (a retried step racing its first attempt, two processes) only one delivers.
      DeliveryClaim claim = DeliveryClaim::kBusy;
      DURABLE_RETURN_IF_ERROR(store_->Write([&](StoreTx& tx) -> Status {
        int64_t now = clock_->NowMs();
        DURABLE_ASSIGN_OR_RETURN(
            claim, tx.ClaimDelivery(dkey, approval_id, kind_name, user_id, channel, claim_owner_,
                                    now, now + options_.delivery_claim_seconds * 1000));
        return Status::Ok();
      }));
      if (claim == DeliveryClaim::kSent) continue;  // delivered before (a retry or a restart)
      if (claim == DeliveryClaim::kBusy) {
        ++in_progress;  // someone else is delivering it now; the caller may retry later
        continue;
      }
      Status st = Status::Ok();
      if (needs_link && n.action_url.empty() && links_ != nullptr) {
        int64_t expires =
            std::min(clock_->NowMs() + options_.link_ttl_seconds * 1000, r.expires_at_ms);
        if (expires > clock_->NowMs()) {
          Result<std::string> token = links_->Issue(approval_id, user_id, expires);
          if (token.ok()) {
            n.action_url = base + "/approvals/links/" + *token;
            n.data["action_url"] = n.action_url;
            compose();
          } else {
            st = token.status();  // recorded as a failed attempt, which also ends the claim
          }
        }
      }
      if (st.ok()) st = notifier->Deliver(n);
      int64_t now = clock_->NowMs();
      DURABLE_RETURN_IF_ERROR(store_->Write([&](StoreTx& tx) -> Status {
        DURABLE_RETURN_IF_ERROR(tx.RecordDelivery(dkey, approval_id, kind_name, user_id, channel,
                                                  st.ok(), st.ok() ? "" : st.message(), now));
        Json detail = {{"kind", kind_name}, {"recipient", user_id}, {"channel", channel}};
        if (!st.ok()) detail["error"] = st.message();
        return tx.Audit(approval_id, now, st.ok() ? "notified" : "notification_failed", "system",
                        detail);
      }));
      if (!st.ok()) {
        ++failures;
        last_error = channel + " to " + user_id + ": " + st.message();
      }
    }
  }
  if (failures > 0) {
    return Unavailable(std::to_string(failures) + " notification deliver" +
                       (failures == 1 ? "y" : "ies") + " failed; last: " + last_error);
  }
  if (in_progress > 0) {
    return Unavailable(std::to_string(in_progress) + " notification deliver" +
                       (in_progress == 1 ? "y is" : "ies are") +
                       " in progress in another call; retry to learn the outcome");
  }
  return Status::Ok();
}

}  // namespace durable::approvals
