// Internal object-level codecs shared by the wire module's .cc files: each shape has a
// `...ToJson` (omits absent optionals) and a `...FromJson` over a path-aware Reader, so that nested
// shapes report errors like "Updates[0].Error.StackTrace[1] must be a string". Thread-safe.
#pragma once

#include "durable/model/api.h"
#include "durable/wire/json_util.h"

namespace durable::wire::internal {

OJson ErrorObjectToJson(const model::ErrorObject& error);
Result<model::ErrorObject> ErrorObjectFromJson(const Reader& r);
// Optional ErrorObject member `key` of `r`.
Status OptErrorObject(const Reader& r, std::string_view key,
                      std::optional<model::ErrorObject>* out);

OJson OperationToJson(const model::Operation& op, TimeUnit unit);
Result<model::Operation> OperationFromJson(const Reader& r, TimeUnit unit);
// Array member `key` of operations (absent = empty).
Status OperationList(const Reader& r, std::string_view key, TimeUnit unit,
                     std::vector<model::Operation>* out);
OJson OperationListToJson(const std::vector<model::Operation>& ops, TimeUnit unit);

OJson OperationUpdateToJson(const model::OperationUpdate& update);
Result<model::OperationUpdate> OperationUpdateFromJson(const Reader& r);

OJson EventToJson(const model::Event& event, bool include_data);
Result<model::Event> EventFromJson(const Reader& r);

// Parses `text` as a JSON object and hands its reader to `fn`; catches library exceptions.
template <typename T, typename F>
Result<T> ParseObject(std::string_view text, F&& fn) {
  return Guarded([&]() -> Result<T> {
    Json doc;
    DURABLE_RETURN_IF_ERROR(ParseDocument(text, &doc));
    DURABLE_ASSIGN_OR_RETURN(Reader r, Reader::Of(doc, ""));
    return fn(r);
  });
}

}  // namespace durable::wire::internal
