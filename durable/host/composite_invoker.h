// CompositeInvoker: tries child invokers in order and hands an invocation to the first whose
// Has() is true (e.g. in-process handlers first, then function processes). Does not own the
// children. Thread-safe if the children are.
#pragma once

#include <vector>

#include "durable/engine/invoker.h"

namespace durable::host {

class CompositeInvoker final : public engine::Invoker {
 public:
  explicit CompositeInvoker(std::vector<engine::Invoker*> children);

  bool Has(const std::string& function_name) const override;
  // No child has the function -> function_error {ErrorType "ResourceNotFoundException"}.
  void Invoke(engine::InvocationRequest request,
              std::function<void(engine::InvocationResult)> done) override;

 private:
  std::vector<engine::Invoker*> children_;
};

}  // namespace durable::host
