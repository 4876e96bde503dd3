// Serialization of user values to the payload strings that are checkpointed. The default is JSON
// through nlohmann's to_json/from_json (so user types only need those two functions); any
// operation accepts a custom Serdes instead. An empty payload deserializes like JSON null.
// Pure functions; thread-safe as long as the user's functions are.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace durable::sdk {

using Json = nlohmann::json;

template <typename T>
struct Serdes {
  std::function<std::string(const T&)> serialize;
  std::function<T(const std::string&)> deserialize;
};

template <typename T>
Serdes<T> JsonSerdes() {
  return Serdes<T>{[](const T& value) { return Json(value).dump(); },
                   [](const std::string& payload) {
                     Json j = payload.empty() ? Json(nullptr) : Json::parse(payload);
                     return j.template get<T>();
                   }};
}

// The serdes to use: the custom one when given, JSON otherwise.
template <typename T>
Serdes<T> SerdesOr(const std::optional<Serdes<T>>& custom) {
  return custom ? *custom : JsonSerdes<T>();
}

}  // namespace durable::sdk
