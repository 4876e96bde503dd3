// The Node.js bootstrap (node/bootstrap.mjs, embedded at build time) that runs nodejs20.x and
// nodejs22.x template functions as Lambda Runtime API clients. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "durable/base/result.h"

namespace durable::host {

// The bootstrap's source text.
std::string_view NodeBootstrapSource();

// Path of a file holding NodeBootstrapSource(): written on the first call into a fresh directory
// under the temp directory (TMPDIR) and removed at process exit; later calls return the same path.
Result<std::string> NodeBootstrapPath();

}  // namespace durable::host
