// A list shared by the versions of a room until one of them changes it (copy on write). A
// room is copied for every command (the rules are pure functions of the room); its history
// (up to kMaxStoredHistory results) and its departed ids (up to kMaxDeparted) rarely change,
// so a copy of the room shares them instead of copying them element by element.
#pragma once

#include <initializer_list>
#include <memory>
#include <vector>

namespace fp::room {

template <typename T>
class SharedList {
  public:
    using value_type = T;
    using const_iterator = typename std::vector<T>::const_iterator;
    using const_reverse_iterator = typename std::vector<T>::const_reverse_iterator;

    SharedList() = default;
    SharedList(std::initializer_list<T> items) : items_(std::make_shared<std::vector<T>>(items)) {}

    // Reading: as a const std::vector.
    const std::vector<T>& items() const { return items_ ? *items_ : noItems(); }
    const_iterator begin() const { return items().begin(); }
    const_iterator end() const { return items().end(); }
    const_reverse_iterator rbegin() const { return items().rbegin(); }
    const_reverse_iterator rend() const { return items().rend(); }
    std::size_t size() const { return items().size(); }
    bool empty() const { return items().empty(); }
    const T& front() const { return items().front(); }
    const T& back() const { return items().back(); }
    const T& operator[](std::size_t i) const { return items()[i]; }

    // Changing: this room's own copy of the list (made now if another room shares it).
    std::vector<T>& mutate() {
        if (!items_)
            items_ = std::make_shared<std::vector<T>>();
        else if (items_.use_count() > 1)
            items_ = std::make_shared<std::vector<T>>(*items_);
        return *items_;
    }

    friend bool operator==(const SharedList& a, const SharedList& b) {
        return a.items_ == b.items_ || a.items() == b.items();
    }
    friend bool operator!=(const SharedList& a, const SharedList& b) { return !(a == b); }

  private:
    static const std::vector<T>& noItems() {
        static const std::vector<T> none;
        return none;
    }
    std::shared_ptr<std::vector<T>> items_;
};

}  // namespace fp::room
