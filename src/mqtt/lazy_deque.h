// A std::deque that costs one pointer while empty.
//
// libstdc++'s std::deque allocates its map and a 512-byte node even when empty. A broker holds
// several queues per connection and per session, almost all empty almost all the time, so that
// allocation would dominate memory per idle connection. This wrapper creates the deque on the
// first push and frees it again when it becomes empty.
#pragma once

#include <deque>
#include <memory>

namespace hearth::mqtt {

template <class T>
class LazyDeque {
 public:
  using iterator = typename std::deque<T>::iterator;
  using const_iterator = typename std::deque<T>::const_iterator;

  LazyDeque() = default;
  LazyDeque(LazyDeque&&) noexcept = default;
  LazyDeque& operator=(LazyDeque&&) noexcept = default;

  bool empty() const { return !d_ || d_->empty(); }
  size_t size() const { return d_ ? d_->size() : 0; }
  T& front() { return d_->front(); }
  const T& front() const { return d_->front(); }
  T& operator[](size_t i) { return (*d_)[i]; }
  const T& operator[](size_t i) const { return (*d_)[i]; }

  void push_back(T&& v) {
    if (!d_) d_ = std::make_unique<std::deque<T>>();
    d_->push_back(std::move(v));
  }
  void pop_front() {
    d_->pop_front();
    releaseIfEmpty();
  }
  iterator erase(iterator it) {
    auto next = d_->erase(it);
    if (d_->empty()) {
      d_.reset();
      return iterator();
    }
    return next;
  }
  void clear() { d_.reset(); }

  iterator begin() { return d_ ? d_->begin() : iterator(); }
  iterator end() { return d_ ? d_->end() : iterator(); }
  const_iterator begin() const { return d_ ? d_->cbegin() : const_iterator(); }
  const_iterator end() const { return d_ ? d_->cend() : const_iterator(); }

 private:
  void releaseIfEmpty() {
    if (d_->empty()) d_.reset();
  }
  std::unique_ptr<std::deque<T>> d_;
};

}  // namespace hearth::mqtt
