// An AccessListener that records whom home announced, for the home tests.
#pragma once

#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

#include "hearth/home/access_changes.h"

namespace hearth::test {

class AccessRecorder final : public home::AccessListener {
 public:
  void onAccessChanged(int64_t user_id) override {
    std::lock_guard lock(mu_);
    users_.push_back(user_id);
  }
  // Everyone announced since the last take(), in order.
  std::vector<int64_t> take() {
    std::lock_guard lock(mu_);
    return std::exchange(users_, {});
  }

 private:
  std::mutex mu_;
  std::vector<int64_t> users_;
};

}  // namespace hearth::test
