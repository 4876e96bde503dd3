// The client side of the `durable` command: subcommands that talk HTTP to a server, like the AWS
// CLI does to Lambda. Each Run* function returns the process exit code. Not thread-safe (CLI).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace durable::cli {

enum class OutputFormat { kJson, kTable };

struct ClientOptions {
  std::string endpoint = "http://127.0.0.1:9700";
  OutputFormat output = OutputFormat::kJson;
};

struct InvokeArgs {
  std::string function_name;
  std::optional<std::string> payload;
  std::optional<std::string> name;
  std::optional<std::string> qualifier;
  std::optional<std::string> tenant_id;
  bool async = false;
};
int RunInvoke(const ClientOptions& o, const InvokeArgs& a);

struct ListArgs {
  std::string function_name;
  std::vector<std::string> statuses;
  std::optional<std::string> name;
  std::optional<int> max_items;
  std::optional<std::string> marker;
  bool oldest_first = false;
};
int RunExecutionsList(const ClientOptions& o, const ListArgs& a);
int RunExecutionsGet(const ClientOptions& o, const std::string& arn);
int RunExecutionsHistory(const ClientOptions& o, const std::string& arn,
                         std::optional<int> max_items, bool reverse);
int RunExecutionsStop(const ClientOptions& o, const std::string& arn,
                      std::optional<std::string> error_type,
                      std::optional<std::string> error_message);

int RunCallbackSucceed(const ClientOptions& o, const std::string& id, const std::string& payload);
int RunCallbackFail(const ClientOptions& o, const std::string& id,
                    std::optional<std::string> error_type, std::optional<std::string> error_message,
                    std::optional<std::string> error_data);
int RunCallbackHeartbeat(const ClientOptions& o, const std::string& id);

}  // namespace durable::cli
