// Bodies of the plain Lambda surface: the function-error body of a synchronous Invoke and the
// CLI's summary of an Invoke.
#include "durable/wire/json_util.h"

namespace durable::wire {

std::string SerializeLambdaFunctionError(const model::ErrorObject& error) {
  internal::OJson o = internal::OJson::object();
  o["errorType"] = error.error_type.value_or("Error");
  o["errorMessage"] = error.error_message.value_or("");
  if (error.error_data) o["errorData"] = *error.error_data;
  if (error.stack_trace) o["stackTrace"] = *error.stack_trace;
  return internal::Dump(o);
}

std::string SerializeInvokeSummary(const std::string& arn, int status_code,
                                   const std::optional<std::string>& function_error,
                                   const std::optional<std::string>& payload) {
  internal::OJson o = internal::OJson::object();
  o["StatusCode"] = status_code;
  o["DurableExecutionArn"] = arn;
  if (function_error) o["FunctionError"] = *function_error;
  if (payload) {
    internal::Json parsed;
    if (internal::ParseDocument(*payload, &parsed).ok()) {
      o["Payload"] = parsed;
    } else {
      o["Payload"] = *payload;
    }
  }
  return internal::Dump(o);
}

}  // namespace durable::wire
