#include "durable/cli/approvals.h"

#include <cctype>
#include <cstdlib>
#include <iostream>
#include <limits>

#include "durable/approvals/identity.h"
#include "durable/base/ids.h"
#include "durable/base/macros.h"
#include "durable/cli/table.h"
#include "durable/http/http.h"

namespace durable::cli {
namespace {

using Json = nlohmann::json;

// Sends one authenticated request. On a transport error or a non-2xx answer prints
// "error: HTTP <status> <AWS error type>: <message>" to stderr and returns nullopt.
std::optional<Json> Call(const ClientOptions& o, const std::string& token,
                         const std::string& method, const std::string& path,
                         const std::optional<Json>& body = std::nullopt) {
  http::Client client(o.endpoint);
  client.SetTimeout(std::chrono::seconds(60));
  http::Headers headers;
  headers.emplace("Authorization", "Bearer " + token);
  auto r = client.Send(method, path, body ? body->dump() : "", headers);
  if (!r.ok()) {
    std::cerr << "error: cannot reach " << o.endpoint << ": " << r.status().message() << "\n";
    return std::nullopt;
  }
  Json parsed = Json::parse(r->body, nullptr, /*allow_exceptions=*/false);
  if (r->status >= 300) {
    std::string type = r->Header("X-Amzn-ErrorType").value_or("");
    std::string message = r->body;
    if (parsed.is_object()) {
      if (type.empty() && parsed.contains("Type") && parsed["Type"].is_string()) {
        type = parsed["Type"].get<std::string>();
      }
      for (const char* key : {"message", "Message"}) {
        if (parsed.contains(key) && parsed[key].is_string()) {
          message = parsed[key].get<std::string>();
          break;
        }
      }
    }
    // The error type header may carry a ":<url>" suffix like Lambda's; keep the name only.
    if (auto colon = type.find(':'); colon != std::string::npos) type.resize(colon);
    std::cerr << "error: HTTP " << r->status << " " << (type.empty() ? "UnknownError" : type)
              << ": " << message << "\n";
    return std::nullopt;
  }
  if (parsed.is_discarded()) {
    std::cerr << "error: unexpected response (not JSON): " << r->body << "\n";
    return std::nullopt;
  }
  return parsed;
}

std::string Text(const Json& j, const char* key, const char* fallback = "-") {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return fallback;
  const Json& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

std::string JoinList(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_array() || j[key].empty()) return "-";
  std::string out;
  for (const auto& v : j[key])
    out += (out.empty() ? "" : ",") + (v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

std::string Clip(std::string s, size_t n = 80) {
  if (s.size() > n) s = s.substr(0, n - 3) + "...";
  return s;
}

void PrintApprovalTable(const Json& a) {
  std::vector<std::vector<std::string>> rows = {
      {"ID", Text(a, "approval_id")},
      {"STATUS", Text(a, "status")},
      {"TITLE", Text(a, "title")},
      {"REQUESTER", Text(a, "requester")},
      {"APPROVERS", JoinList(a, "approvers")},
      {"ESCALATION", JoinList(a, "escalation_approvers")},
      {"QUORUM", Text(a, "approvals_count", "0") + "/" + Text(a, "quorum")},
      {"CREATED", Text(a, "created_at")},
      {"EXPIRES", Text(a, "expires_at")},
      {"DECIDED", Text(a, "decided_at")},
      {"EXECUTION", Text(a, "execution_arn")},
  };
  if (a.contains("description") && a["description"].is_string() &&
      !a["description"].get<std::string>().empty()) {
    rows.insert(rows.begin() + 3, {"DESCRIPTION", Clip(a["description"].get<std::string>())});
  }
  if (a.contains("payload") && !a["payload"].is_null()) {
    rows.push_back({"PAYLOAD", Clip(a["payload"].dump())});
  }
  PrintTable(rows);
  if (a.contains("decisions") && a["decisions"].is_array() && !a["decisions"].empty()) {
    std::cout << "\n";
    std::vector<std::vector<std::string>> d = {{"APPROVER", "DECISION", "AT", "VIA", "COMMENT"}};
    for (const auto& x : a["decisions"]) {
      d.push_back({Text(x, "approver"), Text(x, "decision"), Text(x, "at"), Text(x, "via"),
                   Clip(Text(x, "comment", ""), 60)});
    }
    PrintTable(d);
  }
  if (a.contains("audit") && a["audit"].is_array()) {
    std::cout << "\n";
    std::vector<std::vector<std::string>> t = {{"SEQ", "AT", "KIND", "ACTOR", "DETAIL"}};
    for (const auto& x : a["audit"]) {
      std::string detail = x.contains("detail") && !x["detail"].is_null() ? x["detail"].dump() : "";
      if (detail == "{}") detail.clear();
      t.push_back({Text(x, "seq"), Text(x, "at"), Text(x, "kind"), Text(x, "actor"), Clip(detail)});
    }
    PrintTable(t);
  }
}

void PrintListTable(const Json& page) {
  std::vector<std::vector<std::string>> rows = {
      {"ID", "STATUS", "TITLE", "REQUESTER", "APPROVERS", "QUORUM", "CREATED", "EXPIRES"}};
  if (page.contains("items") && page["items"].is_array()) {
    for (const auto& a : page["items"]) {
      rows.push_back({Text(a, "approval_id"), Text(a, "status"), Clip(Text(a, "title"), 40),
                      Text(a, "requester"), JoinList(a, "approvers"),
                      Text(a, "approvals_count", "0") + "/" + Text(a, "quorum"),
                      Text(a, "created_at"), Text(a, "expires_at")});
    }
  }
  PrintTable(rows);
  if (page.contains("next_token") && page["next_token"].is_string()) {
    std::cout << "next token: " << page["next_token"].get<std::string>() << "\n";
  }
}

int Print(const ClientOptions& o, const std::optional<Json>& r, void (*table)(const Json&)) {
  if (!r) return 1;
  if (o.output == OutputFormat::kTable) {
    table(*r);
  } else {
    std::cout << r->dump() << "\n";
  }
  return 0;
}

void PrintCreatedTable(const Json& j) {
  PrintTable({{"ID", Text(j, "approval_id")},
              {"STATUS", Text(j, "status")},
              {"EXECUTION", Text(j, "execution_arn")}});
}

}  // namespace

Result<int64_t> ParseDuration(const std::string& text) {
  auto bad = [&]() {
    return InvalidArgument("invalid duration '" + text +
                           "' (use seconds or a number with s, m, h or d: 90, 15m, 2h)");
  };
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) return bad();
  size_t i = 0;
  int64_t n = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (n > (std::numeric_limits<int64_t>::max() - 9) / 10) return bad();
    n = n * 10 + (text[i] - '0');
    ++i;
  }
  int64_t unit = 1;
  if (i < text.size()) {
    if (i + 1 != text.size()) return bad();
    switch (text[i]) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      default:
        return bad();
    }
  }
  if (n > std::numeric_limits<int64_t>::max() / unit / 1000) return bad();
  return n * unit;
}

Result<Json> BuildCreateBody(const ApprovalCreateArgs& a) {
  Json body = Json::object();
  body["title"] = a.title;
  body["description"] = a.description;
  body["approvers"] = a.approvers;
  if (a.quorum) body["quorum"] = *a.quorum;
  if (a.timeout) {
    DURABLE_ASSIGN_OR_RETURN(int64_t s, ParseDuration(*a.timeout));
    body["timeout_seconds"] = s;
  }
  if (a.reminder_every) {
    DURABLE_ASSIGN_OR_RETURN(int64_t s, ParseDuration(*a.reminder_every));
    body["reminder_interval_seconds"] = s;
  }
  if (a.escalate_after || !a.escalate_to.empty()) {
    if (!a.escalate_after || a.escalate_to.empty()) {
      return InvalidArgument("--escalate-after and --escalate-to go together");
    }
    DURABLE_ASSIGN_OR_RETURN(int64_t s, ParseDuration(*a.escalate_after));
    body["escalation"] = {{"after_seconds", s}, {"approvers", a.escalate_to}};
  }
  if (a.payload) {
    Json p = Json::parse(*a.payload, nullptr, /*allow_exceptions=*/false);
    if (p.is_discarded() || !p.is_object()) {
      return InvalidArgument("--payload must be a JSON object");
    }
    body["payload"] = std::move(p);
  }
  if (a.request_id) body["request_id"] = *a.request_id;
  if (a.requester) body["requester"] = *a.requester;
  return body;
}

ApprovalsCommand::ApprovalsCommand(CLI::App& app) {
  if (const char* ep = std::getenv("DURABLE_ENDPOINT")) client_.endpoint = ep;
  if (const char* tok = std::getenv("DURABLE_TOKEN")) token_ = tok;
  root_ =
      app.add_subcommand("approvals", "Human approvals: create, list, decide (docs/approvals.md)");
  root_->require_subcommand(1);

  create_ = root_->add_subcommand("create", "Request an approval (starts approval-workflow)");
  AddClientFlags(create_);
  create_->add_option("--title", create_args_.title, "Title")->required();
  create_->add_option("--description", create_args_.description, "Description");
  create_->add_option("--approver", create_args_.approvers, "Approver user id (repeatable)")
      ->required();
  create_->add_option("--quorum", create_args_.quorum, "Approvals needed (default 1)");
  create_->add_option("--timeout", create_args_.timeout, "Time to decide: 90s, 15m, 2h, 7d");
  create_->add_option("--reminder-every", create_args_.reminder_every,
                      "Remind approvers every ...");
  create_->add_option("--escalate-after", create_args_.escalate_after, "Escalate after ...");
  create_->add_option("--escalate-to", create_args_.escalate_to,
                      "Escalation approver (repeatable)");
  create_->add_option("--payload", create_args_.payload, "JSON object shown to approvers");
  create_->add_option("--request-id", create_args_.request_id, "Idempotency key");
  create_->add_option("--requester", create_args_.requester, "Requester (admins only)");

  list_ = root_->add_subcommand("list", "List approvals you may see, newest first");
  AddClientFlags(list_);
  list_->add_option("--status", status_, "pending|approved|rejected|expired|cancelled");
  list_->add_option("--approver", approver_, "Approver user id, or me");
  list_->add_option("--requester", requester_, "Requester user id, or me");
  list_->add_option("--limit", limit_, "Page size");
  list_->add_option("--next-token", next_token_, "next_token of the previous page");

  show_ = root_->add_subcommand("show", "One approval with its decisions and audit trail");
  AddClientFlags(show_);
  show_->add_option("id", id_, "Approval id")->required();

  approve_ = root_->add_subcommand("approve", "Approve as the token's user");
  AddClientFlags(approve_);
  approve_->add_option("id", id_, "Approval id")->required();
  approve_->add_option("--comment,-m", comment_, "Comment");

  reject_ = root_->add_subcommand("reject", "Reject (vetoes) as the token's user");
  AddClientFlags(reject_);
  reject_->add_option("id", id_, "Approval id")->required();
  reject_->add_option("--comment,-m", comment_, "Comment");

  cancel_ = root_->add_subcommand("cancel", "Cancel a pending approval (requester or admin)");
  AddClientFlags(cancel_);
  cancel_->add_option("id", id_, "Approval id")->required();
  cancel_->add_option("--comment,-m", comment_, "Comment");

  hash_ = root_->add_subcommand("hash-token", "Print SHA-256 hex of a token for the config file");
  hash_->add_option("token", secret_, "The API token")->required();
}

void ApprovalsCommand::AddClientFlags(CLI::App* cmd) {
  cmd->add_option("--endpoint", client_.endpoint, "Server URL (env DURABLE_ENDPOINT)");
  cmd->add_option("--token", token_, "API token (env DURABLE_TOKEN)");
  cmd->add_option("--output,-o", output_, "json (default) or table")
      ->check(CLI::IsMember({"json", "table"}));
}

std::optional<int> ApprovalsCommand::Run() {
  if (!root_->parsed()) return std::nullopt;
  client_.output = output_ == "table" ? OutputFormat::kTable : OutputFormat::kJson;
  if (hash_->parsed()) {
    std::cout << approvals::HashToken(secret_) << "\n";
    return 0;
  }
  if (token_.empty()) {
    std::cerr << "error: no API token: pass --token or set DURABLE_TOKEN\n";
    return 1;
  }
  if (create_->parsed()) return RunCreate();
  if (list_->parsed()) return RunList();
  if (show_->parsed()) {
    return Print(client_, Call(client_, token_, "GET", "/approvals/" + PercentEncode(id_)),
                 PrintApprovalTable);
  }
  if (approve_->parsed()) return RunDecision("approve");
  if (reject_->parsed()) return RunDecision("reject");
  if (cancel_->parsed()) return RunCancel();
  return 1;
}

int ApprovalsCommand::RunCreate() {
  auto body = BuildCreateBody(create_args_);
  if (!body.ok()) {
    std::cerr << "error: " << body.status().message() << "\n";
    return 1;
  }
  return Print(client_, Call(client_, token_, "POST", "/approvals", *body), PrintCreatedTable);
}

int ApprovalsCommand::RunList() {
  std::string q;
  auto add = [&q](const char* k, const std::string& v) {
    q += (q.empty() ? "?" : "&") + std::string(k) + "=" + PercentEncode(v);
  };
  if (status_) add("status", *status_);
  if (approver_) add("approver", *approver_);
  if (requester_) add("requester", *requester_);
  if (limit_) add("limit", std::to_string(*limit_));
  if (next_token_) add("next_token", *next_token_);
  return Print(client_, Call(client_, token_, "GET", "/approvals" + q), PrintListTable);
}

int ApprovalsCommand::RunDecision(const std::string& decision) {
  Json body = {{"decision", decision}, {"comment", comment_}};
  return Print(
      client_,
      Call(client_, token_, "POST", "/approvals/" + PercentEncode(id_) + "/decision", body),
      PrintApprovalTable);
}

int ApprovalsCommand::RunCancel() {
  Json body = {{"comment", comment_}};
  return Print(client_,
               Call(client_, token_, "POST", "/approvals/" + PercentEncode(id_) + "/cancel", body),
               PrintApprovalTable);
}

}  // namespace durable::cli
