// A durable handler used to show that one handler runs both in-process (linked into the server)
// and as a Lambda Runtime API process: a step, a 1 s wait and a callback.
#pragma once

#include "durable/sdk/execution.h"

namespace durable::testing {

sdk::Json Greeter(sdk::DurableContext& ctx, const sdk::Json& event);

}  // namespace durable::testing
