// Template parsing over yaml-cpp. yaml-cpp throws; every entry point catches and returns a Status.
#include "durable/host/template.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "durable/base/macros.h"
#include "durable/host/template_values.h"

namespace durable::host {
namespace {

constexpr char kFunctionType[] = "AWS::Serverless::Function";

std::string ResolvePath(const std::string& directory, const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_relative()) p = std::filesystem::path(directory) / p;
  std::string out = p.lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

// Maps merge recursively (function wins), everything else is replaced by the function's value.
YAML::Node MergeGlobals(const YAML::Node& globals, const YAML::Node& props) {
  if (!globals || !globals.IsMap())
    return props ? YAML::Clone(props) : YAML::Node(YAML::NodeType::Undefined);
  if (!props || !props.IsMap()) return YAML::Clone(globals);
  YAML::Node merged = YAML::Clone(globals);
  for (const auto& kv : props) {
    const std::string key = kv.first.Scalar();
    merged[key] = MergeGlobals(merged[key], kv.second);
  }
  return merged;
}

Result<int64_t> ReadInt(const YAML::Node& n, const std::string& what) {
  int64_t v = 0;
  if (!n.IsScalar() || !YAML::convert<int64_t>::decode(n, v)) {
    return InvalidArgument(what + " must be an integer");
  }
  return v;
}

Result<std::vector<std::string>> ReadCommand(const YAML::Node& n, const std::string& directory) {
  std::vector<std::string> argv;
  if (n.IsScalar()) {
    std::istringstream in(n.Scalar());
    for (std::string word; in >> word;) argv.push_back(word);
  } else if (n.IsSequence()) {
    for (const auto& item : n) {
      if (!item.IsScalar()) return InvalidArgument("Metadata.Command items must be strings");
      argv.push_back(item.Scalar());
    }
  } else {
    return InvalidArgument("Metadata.Command must be a string or a list of strings");
  }
  if (argv.empty()) return InvalidArgument("Metadata.Command is empty");
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    bool relative_path = a.rfind("./", 0) == 0 || a.rfind("../", 0) == 0;
    if (relative_path || (i == 0 && a.find('/') != std::string::npos && a[0] != '/')) {
      argv[i] = ResolvePath(directory, a);
    }
  }
  return argv;
}

std::vector<NotImplementedEntry> ReadNotImplemented(const YAML::Node& n) {
  std::vector<NotImplementedEntry> out;
  if (!n || !n.IsSequence()) return out;
  for (const auto& item : n) {
    if (item.IsMap() && item["id"]) {
      out.push_back({item["id"].Scalar(), item["reason"] ? item["reason"].Scalar() : ""});
    } else if (item.IsScalar()) {
      out.push_back({item.Scalar(), ""});
    }
  }
  return out;
}

void ReadTesting(const YAML::Node& n, TestingMetadata* testing) {
  if (!n || !n.IsMap()) return;
  const YAML::Node ids = n["TestDescription"];
  if (ids && ids.IsSequence()) {
    for (const auto& id : ids) {
      if (id.IsScalar()) testing->test_ids.push_back(id.Scalar());
    }
  } else if (ids && ids.IsScalar()) {
    testing->test_ids.push_back(ids.Scalar());
  }
  for (auto& e : ReadNotImplemented(n["NotImplemented"])) testing->not_implemented.push_back(e);
}

Status ReadDurableConfig(const YAML::Node& n, FunctionSpec* spec) {
  if (!n) return Status::Ok();
  if (!n.IsMap()) return InvalidArgument("DurableConfig must be a map");
  spec->has_durable_config = true;
  if (n["ExecutionTimeout"]) {
    DURABLE_ASSIGN_OR_RETURN(spec->durable.execution_timeout_seconds,
                             ReadInt(n["ExecutionTimeout"], "DurableConfig.ExecutionTimeout"));
  }
  if (n["RetentionPeriodInDays"]) {
    DURABLE_ASSIGN_OR_RETURN(
        int64_t days, ReadInt(n["RetentionPeriodInDays"], "DurableConfig.RetentionPeriodInDays"));
    spec->durable.retention_period_in_days = static_cast<int32_t>(days);
  }
  return Status::Ok();
}

Status ReadEnvironment(const YAML::Node& props, const ValueResolver& resolver, FunctionSpec* spec) {
  const YAML::Node env = props["Environment"];
  if (!env) return Status::Ok();
  const YAML::Node vars = env.IsMap() ? env["Variables"] : YAML::Node(YAML::NodeType::Undefined);
  if (!vars) return Status::Ok();
  if (!vars.IsMap()) return InvalidArgument("Environment.Variables must be a map");
  for (const auto& kv : vars) {
    const std::string key = kv.first.Scalar();
    auto value = resolver.Resolve(kv.second);
    if (!value.ok()) {
      return InvalidArgument("Environment.Variables." + key + ": " + value.status().message());
    }
    spec->environment[key] = *value;
  }
  return Status::Ok();
}

Status ReadProperties(const YAML::Node& props, const std::string& directory,
                      const ValueResolver& resolver, FunctionSpec* spec) {
  if (props["Handler"]) spec->handler = props["Handler"].Scalar();
  if (props["Runtime"]) spec->runtime = props["Runtime"].Scalar();
  if (const YAML::Node code = props["CodeUri"]) {
    if (!code.IsScalar()) return InvalidArgument("CodeUri must be a local path");
    spec->code_uri = ResolvePath(directory, code.Scalar());
  }
  if (props["Timeout"]) {
    DURABLE_ASSIGN_OR_RETURN(spec->timeout_seconds, ReadInt(props["Timeout"], "Timeout"));
    if (spec->timeout_seconds < 1) return InvalidArgument("Timeout must be at least 1");
  }
  if (props["ReservedConcurrentExecutions"]) {
    DURABLE_ASSIGN_OR_RETURN(
        int64_t c, ReadInt(props["ReservedConcurrentExecutions"], "ReservedConcurrentExecutions"));
    if (c < 1) return InvalidArgument("ReservedConcurrentExecutions must be at least 1");
    spec->max_concurrency = static_cast<int>(c);
  }
  DURABLE_RETURN_IF_ERROR(ReadDurableConfig(props["DurableConfig"], spec));
  DURABLE_RETURN_IF_ERROR(ReadEnvironment(props, resolver, spec));
  ReadTesting(props["TestingMetadata"], &spec->testing);
  return Status::Ok();
}

Status ReadFunction(const std::string& name, const YAML::Node& resource, const YAML::Node& globals,
                    const std::string& directory, const ValueResolver& resolver,
                    FunctionSpec* spec) {
  spec->name = name;
  const YAML::Node own = resource["Properties"];
  if (own && !own.IsMap()) return InvalidArgument("Properties must be a map");
  YAML::Node props = MergeGlobals(globals, own);
  if (props && props.IsMap()) {
    DURABLE_RETURN_IF_ERROR(ReadProperties(props, directory, resolver, spec));
  }
  if (const YAML::Node meta = resource["Metadata"]; meta && meta.IsMap()) {
    if (meta["Command"]) {
      DURABLE_ASSIGN_OR_RETURN(spec->command, ReadCommand(meta["Command"], directory));
    }
    ReadTesting(meta["TestingMetadata"], &spec->testing);
  }
  ReadTesting(resource["TestingMetadata"], &spec->testing);
  if (spec->command.empty() && spec->handler.empty()) {
    return InvalidArgument("needs Properties.Handler or Metadata.Command");
  }
  return Status::Ok();
}

Result<Template> ParseRoot(const YAML::Node& root, const std::string& directory,
                           const TemplateOptions& options) {
  if (!root || !root.IsMap()) return InvalidArgument("template: the document must be a map");
  const YAML::Node resources = root["Resources"];
  if (!resources || !resources.IsMap()) return InvalidArgument("template: no Resources map");
  Template tpl;
  tpl.directory = directory;
  if (const YAML::Node tm = root["TestingMetadata"]; tm && tm.IsMap()) {
    tpl.not_implemented = ReadNotImplemented(tm["NotImplemented"]);
  }
  ValueResolver resolver(root, options);
  const YAML::Node globals =
      root["Globals"] ? root["Globals"]["Function"] : YAML::Node(YAML::NodeType::Undefined);
  for (const auto& kv : resources) {
    const std::string name = kv.first.Scalar();
    const YAML::Node& resource = kv.second;
    if (!resource.IsMap()) return InvalidArgument("template: resource " + name + " must be a map");
    if (!resource["Type"] || resource["Type"].Scalar() != kFunctionType) continue;
    FunctionSpec spec;
    Status st = Status::Ok();
    try {
      st = ReadFunction(name, resource, globals, directory, resolver, &spec);
    } catch (const YAML::Exception& e) {
      st = InvalidArgument(e.what());
    }
    if (!st.ok()) return InvalidArgument("template: function " + name + ": " + st.message());
    tpl.functions.push_back(std::move(spec));
  }
  return tpl;
}

}  // namespace

const FunctionSpec* Template::Find(const std::string& name) const {
  for (const FunctionSpec& f : functions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string LocalFunctionArn(const std::string& name, const TemplateOptions& options) {
  return "arn:aws:lambda:" + options.region + ":" + options.account_id + ":function:" + name;
}

Result<Template> ParseTemplate(std::string_view yaml_text, const std::string& directory,
                               const TemplateOptions& options) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    return ParseRoot(root, directory, options);
  } catch (const YAML::Exception& e) {
    return InvalidArgument(std::string("template: invalid YAML: ") + e.what());
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("template: ") + e.what());
  }
}

Result<Template> LoadTemplate(const std::string& path, const TemplateOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("template: cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  std::string directory = (ec ? std::filesystem::path(path) : abs).parent_path().string();
  return ParseTemplate(text.str(), directory, options);
}

engine::FunctionConfig ToFunctionConfig(const FunctionSpec& spec) {
  engine::FunctionConfig config;
  config.name = spec.name;
  config.durable = spec.durable;
  config.timeout_seconds = spec.timeout_seconds;
  return config;
}

}  // namespace durable::host
