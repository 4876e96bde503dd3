// Internal to template parsing: resolves CloudFormation intrinsic values (!Sub, !GetAtt, !Ref,
// !Join and their Fn:: long forms) to local strings. Holds a reference to the parsed document;
// thread-compatible.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>

#include "durable/base/result.h"
#include "durable/host/template.h"

namespace durable::host {

class ValueResolver {
 public:
  ValueResolver(const YAML::Node& root, const TemplateOptions& options);

  // A scalar, or an intrinsic function producing a string.
  Result<std::string> Resolve(const YAML::Node& value) const;

 private:
  Result<std::string> Sub(const std::string& text,
                          const std::map<std::string, std::string>& vars) const;
  Result<std::string> GetAtt(const std::string& resource, const std::string& attribute) const;
  Result<std::string> Ref(const std::string& name) const;
  Result<std::string> ResolveTagged(const std::string& fn, const YAML::Node& arg) const;

  YAML::Node root_;
  TemplateOptions options_;
};

}  // namespace durable::host
