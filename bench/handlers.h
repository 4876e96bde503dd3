// The benchmark workloads' durable functions (B1–B6 of docs/performance.md), written once with the
// C++ SDK and run two ways: in-process inside DurableServer (bench_driver) and as a Lambda
// Runtime API function process (build/bench/bootstrap). Handlers are stateless apart from the
// files they are told to append to; thread-safe.
#pragma once

#include <map>
#include <string>

#include "durable/sdk/execution.h"

namespace durable::bench {

// CLOCK_MONOTONIC in nanoseconds; the same clock in every process of the machine, so a driver can
// compare a timestamp taken inside a function process with its own.
int64_t MonotonicNs();
// Wall clock in milliseconds since the epoch (the engine's timer clock).
int64_t WallMs();

// Handler names -> handlers:
//   steps    {"n":N}                      N sequential steps, step i returns i; result = sum
//   callback {"k":K}                      K steps, then a callback awaited; result = {"value",
//                                         "resumed_ns" (first user code after the await)}
//   timer    {"seconds":S}                waits S s, then one step returning the wall clock (ms)
//   fanout   {"items":N,"concurrency":C,"replay":bool}
//                                         Map over N items (max concurrency C), each one step
//                                         returning 100 bytes; with replay, checkpoints a digest,
//                                         waits 1 s (forcing a replay of the map) and compares
//   crash    {"n":N,"hold_at":I,"log":F,"marker":M}
//                                         N steps returning 100 bytes; appends "inv <ns>" per
//                                         invocation and "step <i> <ns>" per step body run to F;
//                                         the first time step I runs it writes its pid to M and
//                                         sleeps (the driver SIGKILLs the server meanwhile)
std::map<std::string, sdk::Handler> Handlers();

}  // namespace durable::bench
