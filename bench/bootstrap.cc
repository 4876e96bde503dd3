// bench bootstrap: the benchmark handlers (handlers.h) as a Lambda Runtime API function process;
// `_HANDLER` (the template's Handler) picks one. Single-threaded runtime loop.
#include "bench/handlers.h"
#include "durable/sdk/runtime.h"

int main() { return durable::sdk::RunLambdaRuntime(durable::bench::Handlers()); }
