// Test helpers for golden JSON comparisons: member order is ignored, everything else (member set,
// types, values) must match exactly. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace durable::wire::testing {

inline constexpr int64_t kT0 = 1'769'481'309'631;  // 2026-01-27T02:35:09.631Z, in ms

// Asserts that `actual` is JSON equal to `expected` (a JSON literal written in the test).
inline void ExpectJsonEq(std::string_view actual, std::string_view expected) {
  nlohmann::json a = nlohmann::json::parse(actual, nullptr, /*allow_exceptions=*/false);
  nlohmann::json e = nlohmann::json::parse(expected, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(a.is_discarded()) << "actual is not JSON: " << actual;
  ASSERT_FALSE(e.is_discarded()) << "expected literal is not JSON: " << expected;
  EXPECT_EQ(a, e) << "actual:   " << a.dump() << "\nexpected: " << e.dump();
}

// True when the serialized text contains the literal `needle` (e.g. an exact number spelling).
inline bool Contains(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

}  // namespace durable::wire::testing
