// DurableContext: what a durable handler uses to run checkpointed operations — Step, Wait,
// CreateCallback / WaitForCallback, RunInChildContext, Parallel, Map, WaitForCondition and
// Invoke. Every call derives a deterministic operation id (operation_id.h); on replay a completed
// operation returns its checkpointed result (or re-throws its error) without re-running user code,
// and a call whose type/name/subtype differs from the checkpoint fails the execution
// (non-determinism). Something that must wait (timer, retry, callback, chained invoke) suspends
// the invocation by unwinding user code; user code must therefore not swallow unknown exceptions
// with `catch (...)` (catching std::exception is safe). A context is used by one thread at a time;
// Parallel/Map give each branch its own child context on its own thread.
#pragma once

#include <chrono>
#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "durable/model/operation.h"
#include "durable/sdk/batch.h"
#include "durable/sdk/errors.h"
#include "durable/sdk/logger.h"
#include "durable/sdk/plugin.h"
#include "durable/sdk/retry.h"
#include "durable/sdk/serdes.h"
#include "durable/sdk/wait_strategy.h"

namespace durable::sdk {

namespace internal {
class Invocation;
}

// Passed to step bodies and WaitForCondition checks.
class StepContext {
 public:
  StepContext(Logger logger, std::string operation_id, int attempt)
      : logger_(std::move(logger)), operation_id_(std::move(operation_id)), attempt_(attempt) {}
  const Logger& logger() const { return logger_; }
  const std::string& operation_id() const { return operation_id_; }
  int attempt() const { return attempt_; }  // 1-based

 private:
  Logger logger_;
  std::string operation_id_;
  int attempt_;
};

// At-least-once (default): a step interrupted by a crash is re-run. At-most-once per retry: the
// START is acknowledged before the body runs; an interrupted attempt counts as failed
// ("StepInterruptedError") and goes to the retry strategy without re-running the body.
enum class StepSemantics { kAtLeastOncePerRetry, kAtMostOncePerRetry };

template <typename T>
struct StepConfig {
  RetryStrategy retry_strategy{};  // empty = DefaultRetryStrategy()
  StepSemantics semantics = StepSemantics::kAtLeastOncePerRetry;
  std::optional<Serdes<T>> serdes{};
};

template <typename T>
struct CallbackConfig {
  int64_t timeout_seconds = 0;  // 0 = no timeout
  int64_t heartbeat_timeout_seconds = 0;
  std::optional<Serdes<T>> serdes{};
};

template <typename T>
struct WaitForCallbackConfig {
  int64_t timeout_seconds = 0;
  int64_t heartbeat_timeout_seconds = 0;
  std::optional<Serdes<T>> serdes{};
  RetryStrategy retry_strategy{};  // of the submitter step; empty = DefaultRetryStrategy()
};

template <typename T>
struct ChildContextConfig {
  std::optional<Serdes<T>> serdes{};
  std::string sub_type = "RunInChildContext";
};

template <typename I, typename T>
struct InvokeConfig {
  std::optional<std::string> tenant_id{};
  std::optional<Serdes<I>> payload_serdes{};
  std::optional<Serdes<T>> result_serdes{};
};

template <typename S>
struct WaitForConditionConfig {
  S initial_state{};
  // Decides after each check whether to poll again; may throw to give up (the operation fails).
  std::function<WaitDecision(const S& state, int attempt)> wait_strategy{};
  std::optional<Serdes<S>> serdes{};
};

template <typename T>
struct ParallelConfig {
  std::optional<int> max_concurrency{};  // unset = all at once; must be >= 1 when set
  CompletionConfig completion{};
  Nesting nesting = Nesting::kNested;
  std::optional<Serdes<T>> item_serdes{};
  std::optional<Serdes<BatchResult<T>>> serdes{};
};

template <typename T>
struct Branch {
  std::string name;  // "" = parallel-branch-<i>
  std::function<T(class DurableContext&)> fn{};
};

template <typename I, typename T>
struct MapConfig {
  std::optional<int> max_concurrency{};
  CompletionConfig completion{};
  Nesting nesting = Nesting::kNested;
  std::function<std::string(const I& item, size_t index)> item_namer{};  // default map-item-<i>
  std::optional<Serdes<T>> item_serdes{};
  std::optional<Serdes<BatchResult<T>>> serdes{};
};

// Untyped building blocks of the typed API (payloads are serialized strings).
struct RawChildOptions {
  std::string sub_type = "RunInChildContext";
  ErrorKind error_kind = ErrorKind::kChildContext;
  // Payload checkpointed instead of a result larger than 256 KiB (default "").
  std::function<std::string()> summary{};
  bool is_virtual = false;  // FLAT batch items: no CONTEXT operation of their own
};
struct RawBatchSpec {
  std::string item_sub_type;  // ParallelBranch / MapIteration
  size_t count = 0;
  std::function<std::string(size_t index)> item_name{};
  std::function<std::string(class DurableContext&, size_t index)> run_item{};
  std::optional<int> max_concurrency{};
  CompletionConfig completion{};
  Nesting nesting = Nesting::kNested;
};
struct RawCallback {
  std::string operation_id;
  std::string callback_id;
};

template <typename F>
using StepResultT = std::decay_t<typename std::conditional_t<std::is_invocable_v<F&, StepContext&>,
                                                             std::invoke_result<F&, StepContext&>,
                                                             std::invoke_result<F&>>::type>;

class DurableContext {
 public:
  DurableContext(std::shared_ptr<internal::Invocation> invocation, std::string raw_prefix,
                 std::optional<std::string> parent_id, bool replaying_children);

  const Logger& logger() const { return logger_; }
  const std::string& durable_execution_arn() const;
  // True while a completed context re-runs only to rebuild its result from its children.
  bool is_replaying_children() const { return replaying_children_; }

  // --- Step ---
  // `fn` is T(StepContext&) or T(); T must be serializable (return Json(nullptr) for "nothing").
  template <typename F>
  auto Step(const std::string& name, F&& fn, StepConfig<StepResultT<F>> config = {}) {
    auto serdes = SerdesOr(config.serdes);
    std::string payload = StepRaw(
        name,
        [&](StepContext& sc) {
          if constexpr (std::is_invocable_v<F&, StepContext&>) {
            return serdes.serialize(fn(sc));
          } else {
            return serdes.serialize(fn());
          }
        },
        config.retry_strategy, config.semantics);
    return serdes.deserialize(payload);
  }
  template <typename F>
  requires(std::is_invocable_v<F&, StepContext&> || std::is_invocable_v<F&>) auto Step(F&& fn) {
    return Step("", std::forward<F>(fn));
  }

  // --- Wait ---
  void Wait(const std::string& name, std::chrono::seconds duration) {
    WaitRaw(name, duration.count());
  }
  void Wait(std::chrono::seconds duration) { WaitRaw("", duration.count()); }

  // --- Callbacks ---
  template <typename T = Json>
  class Callback {
   public:
    const std::string& callback_id() const { return raw_.callback_id; }
    const std::string& operation_id() const { return raw_.operation_id; }
    // Returns the result once the callback succeeded; throws CallbackError when it failed or
    // timed out; suspends the invocation while it is still open.
    T Await() const { return serdes_.deserialize(ctx_->AwaitCallbackRaw(raw_)); }

   private:
    friend class DurableContext;
    Callback(DurableContext* ctx, RawCallback raw, Serdes<T> serdes)
        : ctx_(ctx), raw_(std::move(raw)), serdes_(std::move(serdes)) {}
    DurableContext* ctx_;
    RawCallback raw_;
    Serdes<T> serdes_;
  };

  template <typename T = Json>
  Callback<T> CreateCallback(const std::string& name, CallbackConfig<T> config = {}) {
    RawCallback raw =
        CreateCallbackRaw(name, config.timeout_seconds, config.heartbeat_timeout_seconds);
    return Callback<T>(this, std::move(raw), SerdesOr(config.serdes));
  }

  // Creates a callback, runs `submitter(callback_id, step_context)` as a retried step, and waits
  // for the callback's result (all inside a WaitForCallback child context).
  template <typename T = Json>
  T WaitForCallback(const std::string& name,
                    std::function<void(const std::string& callback_id, StepContext&)> submitter,
                    WaitForCallbackConfig<T> config = {}) {
    auto serdes = SerdesOr(config.serdes);
    return serdes.deserialize(WaitForCallbackRaw(name, std::move(submitter), config.timeout_seconds,
                                                 config.heartbeat_timeout_seconds,
                                                 config.retry_strategy));
  }

  // --- Child context ---
  template <typename F>
  auto RunInChildContext(
      const std::string& name, F&& fn,
      ChildContextConfig<std::decay_t<std::invoke_result_t<F, DurableContext&>>> config = {}) {
    auto serdes = SerdesOr(config.serdes);
    RawChildOptions options;
    options.sub_type = config.sub_type;
    std::string payload = RunChildRaw(
        name, options, [&](DurableContext& child) { return serdes.serialize(fn(child)); });
    return serdes.deserialize(payload);
  }

  // --- Chained invoke ---
  template <typename T = Json, typename I = Json>
  T Invoke(const std::string& name, const std::string& function_name, const I& input,
           InvokeConfig<I, T> config = {}) {
    auto in = SerdesOr(config.payload_serdes);
    auto out = SerdesOr(config.result_serdes);
    return out.deserialize(InvokeRaw(name, function_name, in.serialize(input), config.tenant_id));
  }

  // --- Wait for condition ---
  template <typename S>
  S WaitForCondition(const std::string& name, std::function<S(const S& state, StepContext&)> check,
                     WaitForConditionConfig<S> config) {
    auto serdes = SerdesOr(config.serdes);
    auto strategy = config.wait_strategy;
    std::string final_state = WaitForConditionRaw(
        name,
        [&](const std::string& state, StepContext& sc) {
          return serdes.serialize(check(serdes.deserialize(state), sc));
        },
        [&](const std::string& state, int attempt) {
          return strategy(serdes.deserialize(state), attempt);
        },
        serdes.serialize(config.initial_state));
    return serdes.deserialize(final_state);
  }

  // --- Parallel / Map ---
  template <typename T = Json>
  BatchResult<T> Parallel(const std::string& name, std::vector<Branch<T>> branches,
                          ParallelConfig<T> config = {}) {
    auto item_serdes = SerdesOr(config.item_serdes);
    RawBatchSpec spec;
    spec.item_sub_type = "ParallelBranch";
    spec.count = branches.size();
    spec.item_name = [&](size_t i) {
      return branches[i].name.empty() ? "parallel-branch-" + std::to_string(i) : branches[i].name;
    };
    spec.run_item = [&](DurableContext& c, size_t i) {
      return item_serdes.serialize(branches[i].fn(c));
    };
    spec.max_concurrency = config.max_concurrency;
    spec.completion = config.completion;
    spec.nesting = config.nesting;
    return RunBatch<T>(name, "Parallel", "ParallelResult", spec, item_serdes, config.serdes);
  }
  template <typename T = Json>
  BatchResult<T> Parallel(const std::string& name,
                          std::vector<std::function<T(DurableContext&)>> fns,
                          ParallelConfig<T> config = {}) {
    std::vector<Branch<T>> branches;
    for (auto& f : fns) branches.push_back(Branch<T>{"", std::move(f)});
    return Parallel<T>(name, std::move(branches), std::move(config));
  }

  template <typename T = Json, typename I = Json>
  BatchResult<T> Map(const std::string& name, const std::vector<I>& items,
                     std::function<T(DurableContext&, const I& item, size_t index)> fn,
                     MapConfig<I, T> config = {}) {
    auto item_serdes = SerdesOr(config.item_serdes);
    RawBatchSpec spec;
    spec.item_sub_type = "MapIteration";
    spec.count = items.size();
    spec.item_name = [&](size_t i) {
      return config.item_namer ? config.item_namer(items[i], i) : "map-item-" + std::to_string(i);
    };
    spec.run_item = [&](DurableContext& c, size_t i) {
      return item_serdes.serialize(fn(c, items[i], i));
    };
    spec.max_concurrency = config.max_concurrency;
    spec.completion = config.completion;
    spec.nesting = config.nesting;
    return RunBatch<T>(name, "Map", "MapResult", spec, item_serdes, config.serdes);
  }

  // Identity of one durable operation call.
  struct OpRef {
    std::string raw_id;
    std::string id;
    std::optional<std::string> parent_id;
    std::optional<std::string> name;
    model::OperationType type;
    std::string sub_type;
  };

  // --- untyped core (one .cc file per operation type) ---
  std::string StepRaw(const std::string& name, const std::function<std::string(StepContext&)>& fn,
                      const RetryStrategy& retry_strategy, StepSemantics semantics);
  void WaitRaw(const std::string& name, int64_t seconds);
  RawCallback CreateCallbackRaw(const std::string& name, int64_t timeout_seconds,
                                int64_t heartbeat_timeout_seconds);
  std::string AwaitCallbackRaw(const RawCallback& callback);
  std::string WaitForCallbackRaw(
      const std::string& name,
      std::function<void(const std::string& callback_id, StepContext&)> submitter,
      int64_t timeout_seconds, int64_t heartbeat_timeout_seconds, RetryStrategy retry_strategy);
  std::string RunChildRaw(const std::string& name, const RawChildOptions& options,
                          const std::function<std::string(DurableContext&)>& fn);
  std::string InvokeRaw(const std::string& name, const std::string& function_name,
                        const std::string& payload, const std::optional<std::string>& tenant_id);
  std::string WaitForConditionRaw(
      const std::string& name,
      const std::function<std::string(const std::string& state, StepContext&)>& check,
      const std::function<WaitDecision(const std::string& state, int attempt)>& wait_strategy,
      const std::string& initial_state);
  // RunChildRaw for an operation whose id was already allocated with NextOp.
  std::string RunChildOp(const OpRef& op, const RawChildOptions& options,
                         const std::function<std::string(DurableContext&)>& fn);
  // Runs the items of a Parallel/Map inside this (the Parallel/Map) context.
  RawBatchResult RunBatchRaw(const RawBatchSpec& spec);

  // --- used by the operation implementations ---
  OpRef NextOp(model::OperationType type, std::string sub_type, const std::string& name);
  // Checkpointed state of `op`, after the determinism check (mismatch -> execution FAILS).
  std::shared_ptr<const model::Operation> Lookup(const OpRef& op);
  model::OperationUpdate Update(const OpRef& op, model::OperationAction action) const;
  // The same, taking the strings of an `op` that is not needed any more.
  static model::OperationUpdate Update(OpRef&& op, model::OperationAction action);
  static OperationInfo InfoOf(const OpRef& op, bool is_replay);
  // Notifies plugins that `info`'s operation ended, with timestamps/attempt from the state.
  void NotifyOperationEnd(OperationInfo info);
  internal::Invocation& invocation() { return *inv_; }
  std::shared_ptr<internal::Invocation> shared_invocation() const { return inv_; }
  const std::string& raw_prefix() const { return prefix_; }
  const std::optional<std::string>& parent_id() const { return parent_id_; }

 private:
  template <typename T>
  BatchResult<T> RunBatch(const std::string& name, const std::string& sub_type,
                          const std::string& summary_type, const RawBatchSpec& spec,
                          const Serdes<T>& item_serdes,
                          const std::optional<Serdes<BatchResult<T>>>& custom) {
    if (spec.max_concurrency && *spec.max_concurrency < 1) {
      ThrowInvalidArgument("maxConcurrency must be at least 1");
    }
    auto serdes = custom ? *custom : DefaultBatchSerdes<T>(item_serdes);
    auto raw = std::make_shared<RawBatchResult>();
    RawChildOptions options;
    options.sub_type = sub_type;
    options.summary = [raw, summary_type] { return BatchSummary(*raw, summary_type); };
    std::string payload = RunChildRaw(name, options, [&](DurableContext& child) {
      *raw = child.RunBatchRaw(spec);
      return serdes.serialize(ToTyped(*raw, item_serdes));
    });
    return serdes.deserialize(payload);
  }

  std::shared_ptr<internal::Invocation> inv_;
  std::string prefix_;
  std::optional<std::string> parent_id_{};
  int64_t counter_ = 0;
  bool replaying_children_ = false;
  Logger logger_;
};

}  // namespace durable::sdk
