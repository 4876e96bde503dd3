// bench_micro: Google Benchmark micro-benchmarks of hot paths — the wire codec (operation update
// and checkpoint request JSON, parse and serialize), checkpoint apply in the engine core on
// MemoryStore (no disk: the cost above the store), and operation id derivation. Run with
// `build/bench/bench_micro` (any Google Benchmark flags). Single-threaded.
#include <benchmark/benchmark.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "durable/base/clock.h"
#include "durable/engine/engine.h"
#include "durable/sdk/operation_id.h"
#include "durable/store/memory_store.h"
#include "durable/wire/wire.h"

namespace {

using namespace durable;

model::OperationUpdate StepUpdate(int64_t n, model::OperationAction action) {
  model::OperationUpdate u;
  u.id = sdk::HashOperationId(sdk::RawOperationId("", n));
  u.name = "s" + std::to_string(n);
  u.type = model::OperationType::kStep;
  u.action = action;
  if (action == model::OperationAction::kSucceed) u.payload = "\"" + std::string(98, 'x') + "\"";
  return u;
}

model::CheckpointRequest StepRequest(int64_t n, const std::string& token) {
  model::CheckpointRequest r;
  r.checkpoint_token = token;
  r.updates.push_back(StepUpdate(n, model::OperationAction::kStart));
  r.updates.push_back(StepUpdate(n, model::OperationAction::kSucceed));
  return r;
}

void BM_SerializeOperationUpdate(benchmark::State& state) {
  auto u = StepUpdate(7, model::OperationAction::kSucceed);
  for (auto _ : state) benchmark::DoNotOptimize(wire::SerializeOperationUpdate(u));
}
BENCHMARK(BM_SerializeOperationUpdate);

void BM_ParseOperationUpdate(benchmark::State& state) {
  std::string json =
      wire::SerializeOperationUpdate(StepUpdate(7, model::OperationAction::kSucceed));
  for (auto _ : state) {
    auto r = wire::ParseOperationUpdate(json);
    if (!r.ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseOperationUpdate);

// A checkpoint request of `range(0)` steps (START + SUCCEED each, 100-byte payloads).
model::CheckpointRequest BatchRequest(int64_t steps) {
  model::CheckpointRequest r;
  r.checkpoint_token = std::string(120, 't');
  for (int64_t i = 1; i <= steps; ++i) {
    r.updates.push_back(StepUpdate(i, model::OperationAction::kStart));
    r.updates.push_back(StepUpdate(i, model::OperationAction::kSucceed));
  }
  return r;
}

void BM_SerializeCheckpointRequest(benchmark::State& state) {
  auto r = BatchRequest(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(wire::SerializeCheckpointRequest(r));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SerializeCheckpointRequest)->Arg(1)->Arg(50);

void BM_ParseCheckpointRequest(benchmark::State& state) {
  std::string json = wire::SerializeCheckpointRequest(BatchRequest(state.range(0)));
  for (auto _ : state) {
    auto r = wire::ParseCheckpointRequest(json);
    if (!r.ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ParseCheckpointRequest)->Arg(1)->Arg(50);

// Keeps the invocation the engine asks for (never finishes it), so that the benchmark can play the
// SDK with its checkpoint token.
class HoldingInvoker final : public engine::Invoker {
 public:
  bool Has(const std::string&) const override { return true; }
  void Invoke(engine::InvocationRequest request,
              std::function<void(engine::InvocationResult)> done) override {
    std::lock_guard<std::mutex> lock(mu_);
    last_ = request.input;
    pending_.push_back(std::move(done));
  }
  model::InvocationInput last() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_;
  }

 private:
  std::mutex mu_;
  model::InvocationInput last_;
  std::vector<std::function<void(engine::InvocationResult)>> pending_;
};

// One Checkpoint call (one step: START + SUCCEED) applied by the engine on MemoryStore. A new
// execution every 1,000 steps keeps the execution size realistic.
void BM_CheckpointApplyMemoryStore(benchmark::State& state) {
  store::MemoryStore store;
  HoldingInvoker invoker;
  engine::EngineOptions options;
  options.run_timer_thread = false;
  options.node_id = "bench";
  auto eng = engine::Engine::Create(&store, &invoker, SystemClock::Get(), options);
  eng->RegisterFunction({"fn", {}, 900});
  if (!eng->Start().ok()) state.SkipWithError("engine start failed");
  std::string arn, token;
  int64_t n = 0;
  auto fresh = [&] {
    model::StartRequest start;
    start.function_name = "fn";
    start.payload = "{}";
    auto started = eng->StartExecution(start);
    if (!started.ok()) {
      state.SkipWithError("start failed");
      return;
    }
    arn = started->execution.arn;
    token = invoker.last().checkpoint_token;
    n = 0;
  };
  fresh();
  for (auto _ : state) {
    if (n == 1000) {
      state.PauseTiming();
      fresh();
      state.ResumeTiming();
    }
    auto r = eng->Checkpoint(arn, StepRequest(++n, token));
    if (!r.ok() || !r->checkpoint_token) {
      state.SkipWithError(("checkpoint failed: " + r.status().ToString()).c_str());
      break;
    }
    token = *r->checkpoint_token;
  }
  state.SetItemsProcessed(state.iterations());
  eng->Shutdown();
}
BENCHMARK(BM_CheckpointApplyMemoryStore);

void BM_HashOperationId(benchmark::State& state) {
  int64_t n = 0;
  for (auto _ : state) benchmark::DoNotOptimize(sdk::HashOperationId(sdk::RawOperationId("", ++n)));
}
BENCHMARK(BM_HashOperationId);

void BM_HashOperationIdNested(benchmark::State& state) {
  int64_t n = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(sdk::HashOperationId(sdk::RawOperationId("3-1-12", ++n)));
  }
}
BENCHMARK(BM_HashOperationIdNested);

}  // namespace

BENCHMARK_MAIN();
