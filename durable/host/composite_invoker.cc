#include "durable/host/composite_invoker.h"

namespace durable::host {

CompositeInvoker::CompositeInvoker(std::vector<engine::Invoker*> children)
    : children_(std::move(children)) {}

bool CompositeInvoker::Has(const std::string& function_name) const {
  for (engine::Invoker* child : children_) {
    if (child->Has(function_name)) return true;
  }
  return false;
}

void CompositeInvoker::Invoke(engine::InvocationRequest request,
                              std::function<void(engine::InvocationResult)> done) {
  for (engine::Invoker* child : children_) {
    if (child->Has(request.function_name)) {
      child->Invoke(std::move(request), std::move(done));
      return;
    }
  }
  engine::InvocationResult result;
  model::ErrorObject error;
  error.error_type = "ResourceNotFoundException";
  error.error_message = "Function not found: " + request.function_name;
  result.function_error = std::move(error);
  done(std::move(result));
}

}  // namespace durable::host
