// SAM-shaped template.yaml -> the functions Durable hosts. Reads every AWS::Serverless::Function
// resource (Globals.Function merged in, CloudFormation tags such as !Sub/!GetAtt/!Ref resolved to
// local values) into a FunctionSpec. Pure parsing apart from LoadTemplate's file read; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "durable/base/result.h"
#include "durable/engine/engine.h"
#include "durable/model/execution.h"

namespace durable::host {

struct NotImplementedEntry {
  std::string id;
  std::string reason;
};

// Conformance bookkeeping, kept as data (resource-level `TestingMetadata`, or the same block under
// `Metadata` or `Properties`).
struct TestingMetadata {
  std::vector<std::string> test_ids;  // TestDescription
  std::vector<NotImplementedEntry> not_implemented;
};

struct FunctionSpec {
  std::string name;      // logical id: the function name in ARNs and API paths
  std::string handler;   // Properties.Handler
  std::string runtime;   // Properties.Runtime, e.g. "provided.al2023"
  std::string code_uri;  // absolute directory, or empty when absent
  // Resource-level Metadata.Command (our extension; string split on whitespace, or a list).
  // argv[0] and arguments starting with "./" or "../" are resolved against the template dir.
  std::vector<std::string> command;
  std::map<std::string, std::string> environment;  // Environment.Variables, tags resolved
  // Properties.Timeout. SAM's default is 3 s, far too short for local durable handlers that
  // replay, so an absent Timeout means 900 s (Lambda's maximum).
  int64_t timeout_seconds = 900;
  model::DurableConfig
      durable;  // Properties.DurableConfig {ExecutionTimeout, RetentionPeriodInDays}
  bool has_durable_config = false;
  int max_concurrency = 10;  // Properties.ReservedConcurrentExecutions
  TestingMetadata testing;
};

struct Template {
  std::string directory;  // absolute directory of the template file
  std::vector<FunctionSpec> functions;
  std::vector<NotImplementedEntry> not_implemented;  // legacy top-level TestingMetadata block
  const FunctionSpec* Find(const std::string& name) const;
};

struct TemplateOptions {
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
};

// "arn:aws:lambda:<region>:<account>:function:<name>", what !GetAtt <name>.Arn resolves to.
std::string LocalFunctionArn(const std::string& name, const TemplateOptions& options = {});

// Parses template text; relative paths resolve against `directory`. Errors are InvalidArgument
// statuses naming the resource.
Result<Template> ParseTemplate(std::string_view yaml_text, const std::string& directory,
                               const TemplateOptions& options = {});
// Reads and parses the file at `path`.
Result<Template> LoadTemplate(const std::string& path, const TemplateOptions& options = {});

engine::FunctionConfig ToFunctionConfig(const FunctionSpec& spec);

}  // namespace durable::host
