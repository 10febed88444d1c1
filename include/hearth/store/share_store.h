// Devices shared with people one by one: with a guest of the device's home (who sees only what
// is shared with them) or with someone outside it. Who may share is home::Devices' business; the
// store keeps one share per (device, person).
//
// Ownership: implementations own their connections. Thread-safety: every method may be called
// from any thread. Errors: kNotFound, kIoError/kCorruption from the storage engine; never throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/core/status.h"

namespace hearth::store {

struct ShareRecord {
  std::string did;
  int64_t user_id = 0;    // who it is shared with
  int64_t shared_by = 0;  // who shared it
  int64_t until_ms = 0;   // the share ends then; 0 = no end
  int64_t created_at_ms = 0;
  friend bool operator==(const ShareRecord&, const ShareRecord&) = default;
};

class ShareStore {
 public:
  virtual ~ShareStore() = default;

  // Adds the share, or replaces the one for the same device and person.
  virtual core::Status putShare(const ShareRecord& share) = 0;
  virtual core::Result<ShareRecord> share(std::string_view did, int64_t user_id) = 0;
  // Ordered by user id after `after_user`, at most `limit`.
  virtual core::Result<std::vector<ShareRecord>> sharesOf(std::string_view did, int64_t after_user, size_t limit) = 0;
  // What is shared with a person, ordered by did after `after`, at most `limit`.
  virtual core::Result<std::vector<ShareRecord>> sharesWith(int64_t user_id, std::string_view after,
                                                            size_t limit) = 0;
  virtual core::Status removeShare(std::string_view did, int64_t user_id) = 0;
};

}  // namespace hearth::store
