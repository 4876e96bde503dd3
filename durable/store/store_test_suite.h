// The one behavioural test suite every Store backend must pass. A backend's test file
// instantiates it with a factory, e.g.
//   INSTANTIATE_TEST_SUITE_P(Memory, StoreContractTest,
//                            ::testing::Values(StoreBackend{"Memory", [] { return ...; }}),
//                            StoreBackendName);
// and compiles store_test_suite.cc into the test binary. Thread-compatible test helpers.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "durable/store/store.h"
#include "durable/store/store_test_values.h"

namespace durable::store {

struct StoreBackend {
  std::string name;
  // A fresh, empty store for each test.
  std::function<std::unique_ptr<Store>()> open;
};
std::string StoreBackendName(const ::testing::TestParamInfo<StoreBackend>& info);
void PrintTo(const StoreBackend& backend, std::ostream* os);

class StoreContractTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override;
  std::unique_ptr<Store> store_;
};

}  // namespace durable::store
