// The approvals HTTP API (routes.h): request parsing, authentication and the JSON / HTML answers.
// All rules live in the service; this file only translates.
#include "durable/approvals/routes.h"

#include <string>
#include <vector>

#include "durable/base/macros.h"
#include "durable/http/target.h"

namespace durable::approvals {
namespace {

std::vector<std::string> Parts(const http::Request& rq) {
  std::vector<std::string> parts;
  for (const auto& s : rq.segments) {
    if (!s.empty()) parts.push_back(s);
  }
  return parts;
}

void WriteJson(http::Response& rs, const Json& body, int status = 200) {
  rs.status = status;
  rs.content_type = "application/json";
  rs.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void WriteStatus(http::Response& rs, const Status& st) {
  HttpError e = ToHttpError(st);
  http::WriteAwsError(rs, e.status, e.type, st.message());
}

Result<Json> JsonBody(const http::Request& rq, bool allow_empty = true) {
  if (rq.body.empty() && allow_empty) return Json::object();
  Json j = Json::parse(rq.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgument("The request body is not valid JSON.");
  if (!j.is_object()) return InvalidArgument("The request body must be a JSON object.");
  return j;
}

Result<std::string> OptStringField(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string()) return InvalidArgument(std::string(key) + " must be a string");
  return it->get<std::string>();
}

Result<std::string> ReqStringField(const Json& j, const char* key) {
  DURABLE_ASSIGN_OR_RETURN(std::string v, OptStringField(j, key));
  if (v.empty()) return InvalidArgument(std::string(key) + " is required");
  return v;
}

std::string Html(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

void WritePage(http::Response& rs, int status, const std::string& title, const std::string& body) {
  rs.status = status;
  rs.content_type = "text/html; charset=utf-8";
  rs.headers.emplace("Cache-Control", "no-store");
  rs.headers.emplace("Referrer-Policy", "no-referrer");
  rs.headers.emplace("X-Frame-Options", "DENY");
  rs.body =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"robots\" content=\"noindex\"><title>" +
      Html(title) +
      "</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;"
      "padding:0 1rem;color:#222}h1{font-size:1.4rem}dl{display:grid;grid-template-columns:"
      "max-content 1fr;gap:.3rem 1rem}dt{color:#666}textarea{width:100%;min-height:5rem}"
      "button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}"
      ".approve{background:#1a7f37;color:#fff;border:0}.reject{background:#cf222e;color:#fff;"
      "border:0}.note{padding:.6rem;background:#f6f8fa;border-left:4px solid #999}</style>"
      "</head><body><h1>" +
      Html(title) + "</h1>\n" + body + "\n</body></html>\n";
}

std::string Summary(const ApprovalView& v) {
  const ApprovalRecord& r = v.record;
  std::string approvers;
  for (const auto& a : r.approvers) approvers += (approvers.empty() ? "" : ", ") + a;
  std::string s = "<dl><dt>Title</dt><dd>" + Html(r.spec.title) + "</dd>";
  if (!r.spec.description.empty()) {
    s += "<dt>Description</dt><dd>" + Html(r.spec.description) + "</dd>";
  }
  s += "<dt>Requested by</dt><dd>" + Html(r.requester) + "</dd>";
  s += "<dt>Approvers</dt><dd>" + Html(approvers) + " (" + std::to_string(r.spec.quorum) +
       " needed)</dd>";
  s += "<dt>Status</dt><dd>" + Html(ToString(r.status)) + "</dd>";
  s += "<dt>Expires</dt><dd>" + Html(FormatTimeMs(r.expires_at_ms)) + "</dd>";
  if (!r.spec.payload.empty()) {
    s += "<dt>Details</dt><dd><pre>" + Html(r.spec.payload.dump(2)) + "</pre></dd>";
  }
  s += "</dl>";
  return s;
}

class Api {
 public:
  explicit Api(Service& service) : service_(service) {}

  void Handle(const http::Request& rq, http::Response& rs) {
    std::vector<std::string> p = Parts(rq);
    if (p.size() == 3 && p[1] == "links") {
      if (rq.method == "GET") return LinkPage(p[2], rs);
      if (rq.method == "POST") return LinkDecide(p[2], rq, rs);
    }
    Status st = Route(p, rq, rs);
    if (!st.ok()) WriteStatus(rs, st);
  }

 private:
  Status Route(const std::vector<std::string>& p, const http::Request& rq, http::Response& rs) {
    DURABLE_ASSIGN_OR_RETURN(User caller,
                             service_.identity().Authenticate(rq.Header("Authorization")));
    const std::string& m = rq.method;
    if (p.size() == 1 && m == "GET") return List(caller, rq, rs);
    if (p.size() == 1 && m == "POST") return Create(caller, rq, rs);
    if (p.size() == 2 && p[1] == "me" && m == "GET") return Me(caller, rs);
    if (p.size() == 3 && p[1] == "internal" && m == "POST") return Internal(caller, p[2], rq, rs);
    if (p.size() == 2 && m == "GET" && p[1] != "internal" && p[1] != "links") {
      DURABLE_ASSIGN_OR_RETURN(ApprovalView v, service_.Get(caller, p[1]));
      WriteJson(rs, ToApiJson(v, true));
      return Status::Ok();
    }
    if (p.size() == 3 && m == "POST" && p[2] == "decision") return Decision(caller, p[1], rq, rs);
    if (p.size() == 3 && m == "POST" && p[2] == "cancel") return Cancel(caller, p[1], rq, rs);
    return NotFound("Unknown approvals operation " + m + " " + rq.raw_path);
  }

  Status Me(const User& u, http::Response& rs) {
    WriteJson(rs, {{"id", u.id}, {"name", u.name}, {"email", u.email}, {"roles", u.roles}});
    return Status::Ok();
  }

  Status Create(const User& caller, const http::Request& rq, http::Response& rs) {
    DURABLE_ASSIGN_OR_RETURN(Json body, JsonBody(rq, /*allow_empty=*/false));
    CreateRequest req;
    if (auto it = body.find("request_id"); it != body.end()) {
      if (!it->is_null()) {
        if (!it->is_string()) return InvalidArgument("request_id must be a string");
        req.request_id = it->get<std::string>();
      }
      body.erase("request_id");
    }
    req.spec = std::move(body);
    DURABLE_ASSIGN_OR_RETURN(CreateResult created, service_.Create(caller, req));
    const ApprovalRecord& r = created.approval.record;
    WriteJson(
        rs,
        {{"approval_id", r.id}, {"execution_arn", r.execution_arn}, {"status", ToString(r.status)}},
        created.created ? 201 : 200);
    return Status::Ok();
  }

  Status List(const User& caller, const http::Request& rq, http::Response& rs) {
    ListQuery q;
    q.status = rq.Query("status");
    q.approver = rq.Query("approver");
    q.requester = rq.Query("requester");
    q.next_token = rq.Query("next_token");
    if (auto limit = rq.Query("limit"); limit && !limit->empty()) {
      try {
        size_t used = 0;
        q.limit = std::stoi(*limit, &used);
        if (used != limit->size()) return InvalidArgument("limit must be an integer");
      } catch (const std::exception&) {
        return InvalidArgument("limit must be an integer");
      }
    }
    DURABLE_ASSIGN_OR_RETURN(ListPage page, service_.List(caller, q));
    Json items = Json::array();
    for (const ApprovalView& v : page.items) items.push_back(ToApiJson(v, false));
    Json out = {{"items", items}};
    if (page.next_token) out["next_token"] = *page.next_token;
    WriteJson(rs, out);
    return Status::Ok();
  }

  Status Decision(const User& caller, const std::string& id, const http::Request& rq,
                  http::Response& rs) {
    DURABLE_ASSIGN_OR_RETURN(Json body, JsonBody(rq, /*allow_empty=*/false));
    DURABLE_ASSIGN_OR_RETURN(std::string decision, ReqStringField(body, "decision"));
    DURABLE_ASSIGN_OR_RETURN(std::string comment, OptStringField(body, "comment"));
    DURABLE_ASSIGN_OR_RETURN(std::string via, OptStringField(body, "via"));
    if (via.empty()) via = "api";
    if (via != "api" && via != "ui") {
      return InvalidArgument(
          "via must be \"api\" or \"ui\" (\"link\" is only set by a one-click link)");
    }
    DURABLE_ASSIGN_OR_RETURN(ApprovalView v,
                             service_.Decide(caller.id, id, decision, comment, via));
    WriteJson(rs, ToApiJson(v, false));
    return Status::Ok();
  }

  Status Cancel(const User& caller, const std::string& id, const http::Request& rq,
                http::Response& rs) {
    DURABLE_ASSIGN_OR_RETURN(Json body, JsonBody(rq));
    DURABLE_ASSIGN_OR_RETURN(std::string comment, OptStringField(body, "comment"));
    DURABLE_ASSIGN_OR_RETURN(ApprovalView v, service_.Cancel(caller, id, comment));
    WriteJson(rs, ToApiJson(v, false));
    return Status::Ok();
  }

  // /approvals/internal/{register|attach|notify|escalate|expire|complete}
  Status Internal(const User& caller, const std::string& op, const http::Request& rq,
                  http::Response& rs) {
    if (!caller.Has(kRoleService)) {
      return Forbidden("The internal approvals API needs the service role.");
    }
    DURABLE_ASSIGN_OR_RETURN(Json body, JsonBody(rq, /*allow_empty=*/false));
    if (op == "register") {
      RegisterRequest req;
      DURABLE_ASSIGN_OR_RETURN(std::string id, OptStringField(body, "approval_id"));
      if (!id.empty()) req.approval_id = id;
      DURABLE_ASSIGN_OR_RETURN(req.request_key, OptStringField(body, "request_key"));
      DURABLE_ASSIGN_OR_RETURN(req.execution_arn, OptStringField(body, "execution_arn"));
      auto spec = body.find("spec");
      if (spec == body.end()) return InvalidArgument("spec is required");
      DURABLE_ASSIGN_OR_RETURN(req.spec, SpecFromJson(*spec));
      DURABLE_ASSIGN_OR_RETURN(Registration reg, service_.Register(req));
      WriteJson(rs, {{"approval_id", reg.approval_id},
                     {"created_at_ms", reg.created_at_ms},
                     {"expires_at_ms", reg.expires_at_ms}});
      return Status::Ok();
    }
    DURABLE_ASSIGN_OR_RETURN(std::string id, ReqStringField(body, "approval_id"));
    if (op == "attach") {
      DURABLE_ASSIGN_OR_RETURN(std::string callback_id, ReqStringField(body, "callback_id"));
      DURABLE_ASSIGN_OR_RETURN(ApprovalResult result, service_.Attach(id, callback_id));
      WriteJson(rs, ToJson(result));
      return Status::Ok();
    }
    if (op == "notify") {
      DURABLE_ASSIGN_OR_RETURN(std::string kind_name, ReqStringField(body, "kind"));
      auto kind = NotificationKindFromString(kind_name);
      if (!kind) return InvalidArgument("kind must be request, reminder, escalation or outcome");
      int sequence = 0;
      if (auto it = body.find("sequence"); it != body.end() && !it->is_null()) {
        if (!it->is_number_integer()) return InvalidArgument("sequence must be an integer");
        sequence = it->get<int>();
      }
      DURABLE_RETURN_IF_ERROR(service_.Notify(id, *kind, sequence));
      WriteJson(rs, Json::object());
      return Status::Ok();
    }
    if (op == "escalate") {
      DURABLE_RETURN_IF_ERROR(service_.Escalate(id));
      WriteJson(rs, Json::object());
      return Status::Ok();
    }
    if (op == "expire") {
      DURABLE_ASSIGN_OR_RETURN(ApprovalResult result, service_.Expire(id));
      WriteJson(rs, ToJson(result));
      return Status::Ok();
    }
    if (op == "complete") {
      DURABLE_RETURN_IF_ERROR(service_.Complete(id));
      WriteJson(rs, Json::object());
      return Status::Ok();
    }
    return NotFound("Unknown internal approvals operation " + op);
  }

  // GET /approvals/links/{token}: shows what the link would do; changes nothing.
  void LinkPage(const std::string& token, http::Response& rs) {
    auto view = service_.InspectLink(token);
    if (!view.ok()) {
      HttpError e = ToHttpError(view.status());
      return WritePage(rs, e.status, "Something went wrong",
                       "<p>" + Html(view.status().message()) + "</p>");
    }
    switch (view->check.problem) {
      case LinkProblem::kForged:
        return WritePage(rs, 403, "This link is not valid",
                         "<p class=\"note\">The link is damaged or was not issued by this "
                         "server. Nothing was changed.</p>");
      case LinkProblem::kUsed:
        return WritePage(rs, 409, "This link has already been used",
                         "<p class=\"note\">Each link works once. Nothing was changed.</p>" +
                             Summary(*view->approval));
      case LinkProblem::kExpired:
        return WritePage(rs, 410, "This link has expired",
                         "<p class=\"note\">Nothing was changed.</p>" + Summary(*view->approval));
      case LinkProblem::kNone:
        break;
    }
    const ApprovalView& v = *view->approval;
    std::string body = Summary(v);
    if (v.record.status != ApprovalStatus::kPending) {
      body += "<p class=\"note\">This request is already " + Html(ToString(v.record.status)) +
              "; there is nothing left to decide.</p>";
      return WritePage(rs, 200, "Approval request", body);
    }
    body += "<p>You are deciding as <strong>" + Html(view->check.claims.approver) +
            "</strong>.</p>"
            "<form method=\"post\"><p><label for=\"comment\">Comment (optional)</label><br>"
            "<textarea id=\"comment\" name=\"comment\" maxlength=\"4096\"></textarea></p>"
            "<p><button class=\"approve\" type=\"submit\" name=\"decision\" value=\"approve\">"
            "Approve</button><button class=\"reject\" type=\"submit\" name=\"decision\" "
            "value=\"reject\">Reject</button></p></form>";
    WritePage(rs, 200, "Approval request", body);
  }

  // POST /approvals/links/{token} (form: decision, comment): decides once as the link's approver.
  void LinkDecide(const std::string& token, const http::Request& rq, http::Response& rs) {
    auto form = http::ParseQueryString(rq.body);
    auto field = [&](const char* name) {
      auto it = form.find(name);
      return it == form.end() ? std::string() : it->second;
    };
    auto decided = service_.DecideByLink(token, field("decision"), field("comment"));
    if (!decided.ok()) {
      HttpError e = ToHttpError(decided.status());
      std::string title = e.status == 403   ? "This link is not valid"
                          : e.status == 409 ? "Already decided"
                          : e.status == 410 ? "This request has expired"
                          : e.status == 400 ? "Please choose approve or reject"
                                            : "Something went wrong";
      return WritePage(
          rs, e.status, title,
          "<p class=\"note\">" + Html(decided.status().message()) + " Nothing was changed.</p>");
    }
    std::string verb = field("decision") == "approve" ? "approved" : "rejected";
    WritePage(rs, 200, "Thank you: you " + verb,
              "<p class=\"note\">Your decision was recorded.</p>" + Summary(*decided));
  }

  Service& service_;
};

}  // namespace

void RegisterApprovalRoutes(http::Server& server, Service& service) {
  // The API object lives as long as the routes that capture it.
  auto* api = new Api(service);
  server.Route("", {"approvals"},
               [api](const http::Request& rq, http::Response& rs) { api->Handle(rq, rs); });
}

}  // namespace durable::approvals
