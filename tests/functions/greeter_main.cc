// The Greeter handler as a Lambda Runtime API process (see greeter.h).
#include "durable/sdk/runtime.h"
#include "tests/functions/greeter.h"

int main() { return durable::sdk::RunLambdaRuntime({{"greeter", durable::testing::Greeter}}); }
