// StoreContractTest cases for List (filters, ordering, paging).
#include <set>

#include "durable/store/store_test_suite.h"

namespace durable::store {
namespace {

using model::ExecutionStatus;

std::vector<std::string> Names(const model::ListResponse& r) {
  std::vector<std::string> names;
  for (const auto& e : r.executions) names.push_back(e.name);
  return names;
}

class ListFixture {
 public:
  // a(fn,$LATEST,100,RUNNING) b(fn,1,200,SUCCEEDED) c(fn,$LATEST,300,FAILED) d(fn2,$LATEST,250)
  static void Populate(Store& store) {
    auto create = [&store](model::DurableExecution e, ExecutionStatus s) {
      e.status = s;
      ASSERT_TRUE(store.Create(FirstCommit(e)).ok());
    };
    create(FullExecution("a", 100), ExecutionStatus::kRunning);
    create(FullExecution("b", 200, "fn", "1"), ExecutionStatus::kSucceeded);
    create(FullExecution("c", 300), ExecutionStatus::kFailed);
    create(FullExecution("d", 250, "fn2"), ExecutionStatus::kRunning);
  }
};

model::ListRequest ForFn() {
  model::ListRequest r;
  r.function_name = "fn";
  return r;
}

TEST_P(StoreContractTest, ListOrdersNewestFirstUnlessReversed) {
  ListFixture::Populate(*store_);
  model::ListRequest r = ForFn();
  Result<model::ListResponse> newest = store_->List(r);
  ASSERT_TRUE(newest.ok()) << newest.status().ToString();
  EXPECT_EQ(Names(*newest), (std::vector<std::string>{"c", "b", "a"}));
  EXPECT_FALSE(newest->next_marker.has_value());
  EXPECT_EQ(newest->executions[0], [] {
    model::DurableExecution e = FullExecution("c", 300);
    e.status = ExecutionStatus::kFailed;
    return e;
  }());
  r.reverse_order = true;
  EXPECT_EQ(Names(*store_->List(r)), (std::vector<std::string>{"a", "b", "c"}));
}

TEST_P(StoreContractTest, ListFiltersByVersionNameStatusAndStartTime) {
  ListFixture::Populate(*store_);
  model::ListRequest r = ForFn();
  r.qualifier = "$LATEST";
  EXPECT_EQ(Names(*store_->List(r)), (std::vector<std::string>{"c", "a"}));
  r = ForFn();
  r.durable_execution_name = "b";
  EXPECT_EQ(Names(*store_->List(r)), (std::vector<std::string>{"b"}));
  r = ForFn();
  r.statuses = {ExecutionStatus::kRunning, ExecutionStatus::kFailed};
  EXPECT_EQ(Names(*store_->List(r)), (std::vector<std::string>{"c", "a"}));
  r = ForFn();
  r.started_after = 200;   // inclusive
  r.started_before = 299;  // inclusive
  EXPECT_EQ(Names(*store_->List(r)), (std::vector<std::string>{"b"}));
  r = ForFn();
  r.function_name = "fn2";
  EXPECT_EQ(Names(*store_->List(r)), (std::vector<std::string>{"d"}));
  r.function_name = "";  // every function
  EXPECT_EQ(Names(*store_->List(r)), (std::vector<std::string>{"c", "d", "b", "a"}));
  r.function_name = "nope";
  EXPECT_TRUE(store_->List(r)->executions.empty());
}

TEST_P(StoreContractTest, ListPagesWithAMarkerAcrossEqualStartTimes) {
  std::set<std::string> expected;
  for (int i = 0; i < 7; ++i) {
    model::DurableExecution e = FullExecution("e" + std::to_string(i), 1000 + (i / 3));
    expected.insert(e.name);
    ASSERT_TRUE(store_->Create(FirstCommit(e)).ok());
  }
  for (bool reverse : {false, true}) {
    model::ListRequest r = ForFn();
    r.reverse_order = reverse;
    r.max_items = 3;
    std::vector<std::string> seen;
    std::vector<size_t> page_sizes;
    for (int guard = 0; guard < 10; ++guard) {
      Result<model::ListResponse> page = store_->List(r);
      ASSERT_TRUE(page.ok()) << page.status().ToString();
      page_sizes.push_back(page->executions.size());
      for (const auto& e : page->executions) seen.push_back(e.name);
      if (!page->next_marker) break;
      r.marker = page->next_marker;
    }
    EXPECT_EQ(page_sizes, (std::vector<size_t>{3, 3, 1}));
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);
    r.marker.reset();
    r.max_items = 1000;
    EXPECT_EQ(seen, Names(*store_->List(r))) << "paged order equals one-page order";
  }
}

TEST_P(StoreContractTest, ListRejectsAMalformedMarker) {
  model::ListRequest r = ForFn();
  r.marker = "not-a-marker";
  EXPECT_EQ(store_->List(r).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreContractTest, ListDefaultsToPagesOfOneHundred) {
  for (int i = 0; i < 101; ++i) {
    ASSERT_TRUE(store_->Create(FirstCommit(FullExecution("e" + std::to_string(i), i))).ok());
  }
  Result<model::ListResponse> page = store_->List(ForFn());
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->executions.size(), 100u);
  ASSERT_TRUE(page->next_marker.has_value());
  model::ListRequest rest = ForFn();
  rest.marker = page->next_marker;
  rest.max_items = 0;
  Result<model::ListResponse> last = store_->List(rest);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->executions.size(), 1u);
  EXPECT_EQ(last->executions[0].name, "e0");
  EXPECT_FALSE(last->next_marker.has_value());
}

}  // namespace
}  // namespace durable::store
