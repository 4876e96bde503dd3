#include "durable/cli/commands.h"

#include <cstdio>
#include <iostream>

#include "durable/base/ids.h"
#include "durable/cli/table.h"
#include "durable/http/http.h"
#include "durable/wire/wire.h"

namespace durable::cli {
namespace {

constexpr char kDurable[] = "/2025-12-01";

// Sends one request; prints transport and AWS errors to stderr. Returns the response on 2xx.
std::optional<http::ClientResponse> Call(const ClientOptions& o, const std::string& method,
                                         const std::string& path, const std::string& body = "",
                                         const http::Headers& headers = {},
                                         const std::string& content_type = "application/json") {
  http::Client client(o.endpoint);
  client.SetTimeout(std::chrono::minutes(16));
  auto r = client.Send(method, path, body, headers, content_type);
  if (!r.ok()) {
    std::cerr << "error: cannot reach " << o.endpoint << ": " << r.status().message() << "\n";
    return std::nullopt;
  }
  if (r->status >= 300) {
    std::cerr << "error: HTTP " << r->status << " "
              << r->Header("X-Amzn-ErrorType").value_or("UnknownError") << ": " << r->body << "\n";
    return std::nullopt;
  }
  return std::move(*r);
}

int PrintOr(const ClientOptions& o, const std::optional<http::ClientResponse>& r,
            int (*table)(const std::string& body)) {
  if (!r) return 1;
  if (o.output == OutputFormat::kTable && table) return table(r->body);
  std::cout << r->body << "\n";
  return 0;
}

std::string Query(const std::vector<std::pair<std::string, std::string>>& kv) {
  std::string q;
  for (const auto& [k, v] : kv) {
    q += (q.empty() ? "?" : "&") + k + "=" + PercentEncode(v);
  }
  return q;
}

}  // namespace

int RunInvoke(const ClientOptions& o, const InvokeArgs& a) {
  http::Headers h;
  h.emplace("X-Amz-Invocation-Type", a.async ? "Event" : "RequestResponse");
  if (a.name) h.emplace("X-Amz-Durable-Execution-Name", *a.name);
  if (a.tenant_id) h.emplace("X-Amz-Tenant-Id", *a.tenant_id);
  std::string path = "/2015-03-31/functions/" + PercentEncode(a.function_name) + "/invocations" +
                     Query({{"Qualifier", a.qualifier.value_or("$LATEST")}});
  auto r = Call(o, "POST", path, a.payload.value_or("{}"), h);
  if (!r) return 1;
  std::string arn = r->Header("X-Amz-Durable-Execution-Arn").value_or("");
  if (a.async) {
    std::cout << wire::SerializeInvokeSummary(arn, r->status, std::nullopt, std::nullopt) << "\n";
    return 0;
  }
  auto fn_error = r->Header("X-Amz-Function-Error");
  std::cout << wire::SerializeInvokeSummary(arn, r->status, fn_error, r->body) << "\n";
  return fn_error ? 2 : 0;
}

int RunExecutionsList(const ClientOptions& o, const ListArgs& a) {
  std::vector<std::pair<std::string, std::string>> q;
  for (const auto& s : a.statuses) q.emplace_back("Statuses", s);
  if (a.name) q.emplace_back("DurableExecutionName", *a.name);
  if (a.max_items) q.emplace_back("MaxItems", std::to_string(*a.max_items));
  if (a.marker) q.emplace_back("Marker", *a.marker);
  if (a.oldest_first) q.emplace_back("ReverseOrder", "true");
  auto r = Call(o, "GET",
                std::string(kDurable) + "/functions/" + PercentEncode(a.function_name) +
                    "/durable-executions" + Query(q));
  return PrintOr(o, r, PrintExecutionListTable);
}

int RunExecutionsGet(const ClientOptions& o, const std::string& arn) {
  auto r = Call(o, "GET", std::string(kDurable) + "/durable-executions/" + PercentEncode(arn));
  return PrintOr(o, r, PrintExecutionTable);
}

int RunExecutionsHistory(const ClientOptions& o, const std::string& arn,
                         std::optional<int> max_items, bool reverse) {
  std::vector<std::pair<std::string, std::string>> q = {{"IncludeExecutionData", "true"}};
  if (max_items) q.emplace_back("MaxItems", std::to_string(*max_items));
  if (reverse) q.emplace_back("ReverseOrder", "true");
  auto r = Call(
      o, "GET",
      std::string(kDurable) + "/durable-executions/" + PercentEncode(arn) + "/history" + Query(q));
  return PrintOr(o, r, PrintHistoryTable);
}

int RunExecutionsStop(const ClientOptions& o, const std::string& arn,
                      std::optional<std::string> error_type,
                      std::optional<std::string> error_message) {
  model::ErrorObject e;
  e.error_type = std::move(error_type);
  e.error_message = std::move(error_message);
  auto r =
      Call(o, "POST", std::string(kDurable) + "/durable-executions/" + PercentEncode(arn) + "/stop",
           wire::SerializeErrorObject(e));
  return PrintOr(o, r, nullptr);
}

int RunCallbackSucceed(const ClientOptions& o, const std::string& id, const std::string& payload) {
  auto r =
      Call(o, "POST",
           std::string(kDurable) + "/durable-execution-callbacks/" + PercentEncode(id) + "/succeed",
           payload, {}, "application/octet-stream");
  return PrintOr(o, r, nullptr);
}

int RunCallbackFail(const ClientOptions& o, const std::string& id,
                    std::optional<std::string> error_type, std::optional<std::string> error_message,
                    std::optional<std::string> error_data) {
  model::ErrorObject e;
  e.error_type = std::move(error_type);
  e.error_message = std::move(error_message);
  e.error_data = std::move(error_data);
  auto r =
      Call(o, "POST",
           std::string(kDurable) + "/durable-execution-callbacks/" + PercentEncode(id) + "/fail",
           wire::SerializeErrorObject(e));
  return PrintOr(o, r, nullptr);
}

int RunCallbackHeartbeat(const ClientOptions& o, const std::string& id) {
  auto r = Call(
      o, "POST",
      std::string(kDurable) + "/durable-execution-callbacks/" + PercentEncode(id) + "/heartbeat");
  return PrintOr(o, r, nullptr);
}

}  // namespace durable::cli
