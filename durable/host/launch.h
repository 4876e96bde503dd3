// How a FunctionSpec runs: in this process (a registered C++ handler) or as a function process
// speaking the Lambda Runtime API. Pure except that the first Node.js function writes the
// embedded bootstrap to a temp file; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "durable/base/result.h"
#include "durable/host/template.h"

namespace durable::host {

struct LaunchPlan {
  enum class Kind { kInProcess, kProcess };
  Kind kind = Kind::kInProcess;
  std::string handler;            // kInProcess: the registry key (Properties.Handler)
  std::vector<std::string> argv;  // kProcess: the program and its arguments
  std::string working_dir;        // kProcess: CodeUri, else the template directory
};

// Resolution order:
//   1. Metadata.Command                      -> that command
//   2. no CodeUri                            -> in-process handler named by Handler
//   3. Runtime provided / provided.al2(023)  -> <CodeUri>/bootstrap (Handler passed in _HANDLER)
//   4. Runtime nodejs20.x / nodejs22.x       -> `node <bootstrap.mjs>` (node from PATH; Handler
//                                               file.export in _HANDLER, cwd = CodeUri)
//   5. anything else                         -> InvalidArgument naming the runtime
Result<LaunchPlan> ResolveLaunch(const FunctionSpec& spec, const std::string& template_dir);

}  // namespace durable::host
