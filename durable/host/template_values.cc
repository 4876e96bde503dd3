#include "durable/host/template_values.h"

#include "durable/base/macros.h"

namespace durable::host {
namespace {

// node[key] that never throws (yaml-cpp throws when indexing a missing node).
YAML::Node Child(const YAML::Node& node, const std::string& key) {
  if (!node || !node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node child = node[key];
  return child ? child : YAML::Node(YAML::NodeType::Undefined);
}

}  // namespace

ValueResolver::ValueResolver(const YAML::Node& root, const TemplateOptions& options)
    : root_(root), options_(options) {}

Result<std::string> ValueResolver::Resolve(const YAML::Node& value) const {
  const std::string& tag = value.Tag();
  if (tag.size() > 1 && tag[0] == '!') return ResolveTagged(tag.substr(1), value);
  if (value.IsScalar()) return value.Scalar();
  if (value.IsMap() && value.size() == 1) {
    const std::string key = value.begin()->first.Scalar();
    if (key == "Ref") return ResolveTagged("Ref", value.begin()->second);
    if (key.rfind("Fn::", 0) == 0) return ResolveTagged(key.substr(4), value.begin()->second);
  }
  return InvalidArgument("unsupported value (expected a string or !Sub/!GetAtt/!Ref/!Join)");
}

Result<std::string> ValueResolver::ResolveTagged(const std::string& fn,
                                                 const YAML::Node& arg) const {
  if (fn == "Sub") {
    if (arg.IsScalar()) return Sub(arg.Scalar(), {});
    if (arg.IsSequence() && arg.size() == 2 && arg[0].IsScalar() && arg[1].IsMap()) {
      std::map<std::string, std::string> vars;
      for (const auto& kv : arg[1]) {
        DURABLE_ASSIGN_OR_RETURN(vars[kv.first.Scalar()], Resolve(kv.second));
      }
      return Sub(arg[0].Scalar(), vars);
    }
    return InvalidArgument("!Sub takes a string or [string, map]");
  }
  if (fn == "GetAtt") {
    if (arg.IsScalar()) {
      const std::string& s = arg.Scalar();
      size_t dot = s.find('.');
      if (dot == std::string::npos) return InvalidArgument("!GetAtt needs Resource.Attribute");
      return GetAtt(s.substr(0, dot), s.substr(dot + 1));
    }
    if (arg.IsSequence() && arg.size() == 2) return GetAtt(arg[0].Scalar(), arg[1].Scalar());
    return InvalidArgument("!GetAtt takes Resource.Attribute or [Resource, Attribute]");
  }
  if (fn == "Ref") {
    if (!arg.IsScalar()) return InvalidArgument("!Ref takes a name");
    return Ref(arg.Scalar());
  }
  if (fn == "Join") {
    if (!arg.IsSequence() || arg.size() != 2 || !arg[1].IsSequence()) {
      return InvalidArgument("!Join takes [delimiter, [values]]");
    }
    std::string out;
    bool first = true;
    for (const auto& item : arg[1]) {
      DURABLE_ASSIGN_OR_RETURN(std::string part, Resolve(item));
      if (!first) out += arg[0].Scalar();
      out += part;
      first = false;
    }
    return out;
  }
  if (arg.IsScalar()) return arg.Scalar();  // unknown tag on a plain scalar: keep its text
  return InvalidArgument("unsupported intrinsic !" + fn);
}

Result<std::string> ValueResolver::Sub(const std::string& text,
                                       const std::map<std::string, std::string>& vars) const {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find("${", i);
    if (open == std::string::npos) break;
    out.append(text, i, open - i);
    size_t close = text.find('}', open);
    if (close == std::string::npos) return InvalidArgument("!Sub: unterminated ${ in " + text);
    std::string name = text.substr(open + 2, close - open - 2);
    if (!name.empty() && name[0] == '!') {
      out += "${" + name.substr(1) + "}";  // ${!Literal} escapes the substitution
    } else if (auto it = vars.find(name); it != vars.end()) {
      out += it->second;
    } else if (size_t dot = name.find('.'); dot != std::string::npos) {
      DURABLE_ASSIGN_OR_RETURN(std::string v, GetAtt(name.substr(0, dot), name.substr(dot + 1)));
      out += v;
    } else {
      DURABLE_ASSIGN_OR_RETURN(std::string v, Ref(name));
      out += v;
    }
    i = close + 1;
  }
  if (i < text.size()) out.append(text, i, std::string::npos);
  return out;
}

Result<std::string> ValueResolver::GetAtt(const std::string& resource,
                                          const std::string& attribute) const {
  const YAML::Node r = Child(Child(root_, "Resources"), resource);
  if (!r) return InvalidArgument("!GetAtt: unknown resource " + resource);
  if (attribute == "Arn" && Child(r, "Type") && r["Type"].Scalar() == "AWS::Serverless::Function") {
    return LocalFunctionArn(resource, options_);
  }
  return InvalidArgument("!GetAtt: unsupported attribute " + resource + "." + attribute);
}

Result<std::string> ValueResolver::Ref(const std::string& name) const {
  if (name == "AWS::Region") return options_.region;
  if (name == "AWS::AccountId") return options_.account_id;
  if (name == "AWS::Partition") return std::string("aws");
  if (name == "AWS::StackName") return std::string("durable-local");
  if (name == "AWS::URLSuffix") return std::string("amazonaws.com");
  if (const YAML::Node p = Child(Child(root_, "Parameters"), name)) {
    if (Child(p, "Default")) return p["Default"].Scalar();
    return InvalidArgument("!Ref: parameter " + name + " has no Default");
  }
  if (Child(Child(root_, "Resources"), name)) return name;  // a function's Ref is its name
  return InvalidArgument("!Ref: unknown name " + name);
}

}  // namespace durable::host
