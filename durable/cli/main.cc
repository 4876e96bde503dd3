// The `durable` command: `serve` runs the server; every other subcommand is an HTTP client of it.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "durable/cli/approvals.h"
#include "durable/cli/commands.h"
#include "durable/server/serve.h"

namespace {

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot read " << path << "\n";
    std::exit(1);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace durable;
  CLI::App app{"Durable: a self-hosted engine for AWS Lambda durable functions."};
  app.require_subcommand(1);

  cli::ClientOptions client;
  if (const char* ep = std::getenv("DURABLE_ENDPOINT")) client.endpoint = ep;
  std::string output = "json";
  auto add_client_flags = [&](CLI::App* cmd) {
    cmd->add_option("--endpoint", client.endpoint, "Server URL (env DURABLE_ENDPOINT)");
    cmd->add_option("--output,-o", output, "json (default) or table")
        ->check(CLI::IsMember({"json", "table"}));
  };

  // serve
  server::ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Run the server");
  serve_cmd->add_option("--host", serve.host, "Address to listen on");
  serve_cmd->add_option("--port", serve.port, "Port (0 = any free port, printed on start)");
  serve_cmd->add_option("--db", serve.db_path, "SQLite database file");
  serve_cmd->add_flag("--memory", serve.in_memory, "Keep everything in memory (no file)");
  serve_cmd->add_option("--template", serve.template_path, "SAM template.yaml with functions");
  serve_cmd
      ->add_option("--sqlite-synchronous", serve.sqlite_synchronous,
                   "SQLite synchronous mode (FULL is the durable default)")
      ->check(CLI::IsMember({"FULL", "NORMAL", "OFF"}));
  serve_cmd->add_option("--port-file", serve.port_file, "Write the bound port to this file");
  serve_cmd->add_option("--approvals-config", serve.approvals_config,
                        "Approvals config JSON (users, tokens, notifiers)");
  serve_cmd->add_flag("--verbose,-v", serve.verbose, "Echo function logs and debug lines");

  // invoke
  cli::InvokeArgs inv;
  std::string payload_file;
  auto* invoke_cmd = app.add_subcommand("invoke", "Start a durable execution (Lambda Invoke)");
  add_client_flags(invoke_cmd);
  invoke_cmd->add_option("function", inv.function_name, "Function name or ARN")->required();
  invoke_cmd->add_option("--payload,-p", inv.payload, "Input JSON");
  invoke_cmd->add_option("--payload-file", payload_file, "Read the input JSON from a file");
  invoke_cmd->add_option("--name", inv.name, "DurableExecutionName (idempotency key)");
  invoke_cmd->add_option("--qualifier", inv.qualifier, "Version qualifier ($LATEST)");
  invoke_cmd->add_option("--tenant-id", inv.tenant_id, "Tenant id");
  invoke_cmd->add_flag("--async", inv.async, "Return at once (InvocationType Event)");

  // executions
  auto* ex_cmd = app.add_subcommand("executions", "List, inspect and stop executions");
  ex_cmd->require_subcommand(1);
  cli::ListArgs list;
  auto* list_cmd = ex_cmd->add_subcommand("list", "ListDurableExecutionsByFunction");
  add_client_flags(list_cmd);
  list_cmd->add_option("--function,-f", list.function_name, "Function name")->required();
  list_cmd->add_option("--status", list.statuses, "RUNNING|SUCCEEDED|FAILED|TIMED_OUT|STOPPED");
  list_cmd->add_option("--name", list.name, "DurableExecutionName");
  list_cmd->add_option("--max-items", list.max_items, "Page size (1-1000)");
  list_cmd->add_option("--marker", list.marker, "NextMarker of the previous page");
  list_cmd->add_flag("--oldest-first", list.oldest_first, "Chronological order");
  std::string arn;
  auto* get_cmd = ex_cmd->add_subcommand("get", "GetDurableExecution");
  add_client_flags(get_cmd);
  get_cmd->add_option("arn", arn, "Execution ARN")->required();
  std::optional<int> max_items;
  bool reverse = false;
  auto* hist_cmd = ex_cmd->add_subcommand("history", "GetDurableExecutionHistory");
  add_client_flags(hist_cmd);
  hist_cmd->add_option("arn", arn, "Execution ARN")->required();
  hist_cmd->add_option("--max-items", max_items, "Page size");
  hist_cmd->add_flag("--reverse", reverse, "Newest first");
  std::optional<std::string> error_type, error_message, error_data;
  auto* stop_cmd = ex_cmd->add_subcommand("stop", "StopDurableExecution");
  add_client_flags(stop_cmd);
  stop_cmd->add_option("arn", arn, "Execution ARN")->required();
  stop_cmd->add_option("--error-type", error_type, "ErrorType recorded on the execution");
  stop_cmd->add_option("--error-message", error_message, "ErrorMessage recorded");

  // callbacks
  auto* cb_cmd = app.add_subcommand("callbacks", "Complete callbacks");
  cb_cmd->require_subcommand(1);
  std::string callback_id, cb_payload;
  auto* ok_cmd = cb_cmd->add_subcommand("succeed", "SendDurableExecutionCallbackSuccess");
  add_client_flags(ok_cmd);
  ok_cmd->add_option("callback-id", callback_id, "Callback id")->required();
  ok_cmd->add_option("--payload,-p", cb_payload, "Result (sent verbatim)");
  auto* fail_cmd = cb_cmd->add_subcommand("fail", "SendDurableExecutionCallbackFailure");
  add_client_flags(fail_cmd);
  fail_cmd->add_option("callback-id", callback_id, "Callback id")->required();
  fail_cmd->add_option("--error-type", error_type, "ErrorType");
  fail_cmd->add_option("--error-message", error_message, "ErrorMessage");
  fail_cmd->add_option("--error-data", error_data, "ErrorData");
  auto* hb_cmd = cb_cmd->add_subcommand("heartbeat", "SendDurableExecutionCallbackHeartbeat");
  add_client_flags(hb_cmd);
  hb_cmd->add_option("callback-id", callback_id, "Callback id")->required();

  // approvals (durable/cli/approvals.h)
  cli::ApprovalsCommand approvals(app);

  CLI11_PARSE(app, argc, argv);
  client.output = output == "table" ? cli::OutputFormat::kTable : cli::OutputFormat::kJson;

  if (serve_cmd->parsed()) return server::RunServe(serve);
  if (auto rc = approvals.Run()) return *rc;
  if (invoke_cmd->parsed()) {
    if (!payload_file.empty()) inv.payload = ReadFileOrDie(payload_file);
    return cli::RunInvoke(client, inv);
  }
  if (list_cmd->parsed()) return cli::RunExecutionsList(client, list);
  if (get_cmd->parsed()) return cli::RunExecutionsGet(client, arn);
  if (hist_cmd->parsed()) return cli::RunExecutionsHistory(client, arn, max_items, reverse);
  if (stop_cmd->parsed()) return cli::RunExecutionsStop(client, arn, error_type, error_message);
  if (ok_cmd->parsed()) return cli::RunCallbackSucceed(client, callback_id, cb_payload);
  if (fail_cmd->parsed()) {
    return cli::RunCallbackFail(client, callback_id, error_type, error_message, error_data);
  }
  if (hb_cmd->parsed()) return cli::RunCallbackHeartbeat(client, callback_id);
  std::cerr << app.help();
  return 1;
}
