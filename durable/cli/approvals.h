// `durable approvals ...`: the command-line client of the approvals HTTP API (docs/approvals.md):
// create, list, show, approve, reject, cancel, and hash-token (offline). The token comes from
// --token or DURABLE_TOKEN, the server from --endpoint or DURABLE_ENDPOINT. Errors print the AWS
// error type and message to stderr and exit 1. Not thread-safe (a CLI).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "durable/base/result.h"
#include "durable/cli/commands.h"

namespace durable::cli {

struct ApprovalCreateArgs {
  std::string title;
  std::string description;
  std::vector<std::string> approvers;
  std::optional<int> quorum;
  std::optional<std::string> timeout;         // duration: 90, 90s, 15m, 2h, 7d
  std::optional<std::string> reminder_every;  // duration
  std::optional<std::string> escalate_after;  // duration
  std::vector<std::string> escalate_to;
  std::optional<std::string> payload;  // JSON object
  std::optional<std::string> request_id;
  std::optional<std::string> requester;  // admins only
};

// "90" and "90s" -> 90, "15m" -> 900, "2h" -> 7200, "7d" -> 604800. Rejects negatives, junk and
// overflow.
Result<int64_t> ParseDuration(const std::string& text);

// The POST /approvals body for `create` (ApprovalSpec JSON + request_id).
Result<nlohmann::json> BuildCreateBody(const ApprovalCreateArgs& args);

// Registers `approvals` and its subcommands on `app`; after parsing, Run() executes the chosen
// one and returns its exit code, or nullopt when `approvals` was not used.
class ApprovalsCommand {
 public:
  explicit ApprovalsCommand(CLI::App& app);
  std::optional<int> Run();

 private:
  void AddClientFlags(CLI::App* cmd);
  int RunCreate();
  int RunList();
  int RunDecision(const std::string& decision);
  int RunCancel();

  ClientOptions client_;
  std::string output_ = "json";
  std::string token_;
  CLI::App* root_ = nullptr;
  CLI::App* create_ = nullptr;
  CLI::App* list_ = nullptr;
  CLI::App* show_ = nullptr;
  CLI::App* approve_ = nullptr;
  CLI::App* reject_ = nullptr;
  CLI::App* cancel_ = nullptr;
  CLI::App* hash_ = nullptr;
  ApprovalCreateArgs create_args_;
  std::optional<std::string> status_, approver_, requester_, next_token_;
  std::optional<int> limit_;
  std::string id_;
  std::string comment_;
  std::string secret_;
};

}  // namespace durable::cli
