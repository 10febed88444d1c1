#include "hearth/core/batch_writer.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <vector>

namespace hearth::core {
namespace {

TEST(BatchWriterTest, WritesWhatQueuedWhileItWasBusyAsOneBatchAndDrainsOnStop) {
  std::promise<void> first_started;
  std::promise<void> release_first;
  auto release = release_first.get_future().share();
  std::mutex mu;
  std::vector<std::vector<int>> batches;
  BatchWriter<int> writer(
      [&](std::vector<int>& batch) {
        {
          std::lock_guard lock(mu);
          batches.push_back(batch);
          if (batches.size() == 1) first_started.set_value();
        }
        if (batch.front() == 0) release.wait();  // the first write is slow
      },
      100);
  ASSERT_TRUE(writer.push(0));
  first_started.get_future().wait();
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(writer.push(i));
  release_first.set_value();
  writer.stop();
  EXPECT_EQ(batches, (std::vector<std::vector<int>>{{0}, {1, 2, 3, 4, 5}}));
  EXPECT_FALSE(writer.push(6));  // stopped
  EXPECT_EQ(writer.dropped(), 1u);
}

TEST(BatchWriterTest, RefusesAndCountsPastItsLimit) {
  std::promise<void> started;
  std::promise<void> release;
  auto go = release.get_future().share();
  size_t written = 0;
  BatchWriter<int> writer(
      [&](std::vector<int>& batch) {
        if (written == 0) started.set_value();
        written += batch.size();
        go.wait();
      },
      2);
  ASSERT_TRUE(writer.push(0));  // taken by the writer at once
  started.get_future().wait();
  EXPECT_TRUE(writer.push(1));
  EXPECT_TRUE(writer.push(2));
  EXPECT_FALSE(writer.push(3));  // two waiting: the limit
  EXPECT_EQ(writer.dropped(), 1u);
  release.set_value();
  writer.stop();
  EXPECT_EQ(written, 3u);
}

}  // namespace
}  // namespace hearth::core
