// Connection accounting per client address: how many WebSocket connections each client
// address holds, and a cap on it. A slot is taken before the 101 is sent and given back when
// the connection's socket closes (AddressSlot is the receipt; dropping it gives the slot back).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace fp::websocket {

class AddressSlots;

class AddressSlot {
  public:
    AddressSlot() = default;
    ~AddressSlot() { release(); }
    AddressSlot(AddressSlot&& other) noexcept;
    AddressSlot& operator=(AddressSlot&& other) noexcept;
    AddressSlot(const AddressSlot&) = delete;
    AddressSlot& operator=(const AddressSlot&) = delete;

    bool held() const { return owner_ != nullptr; }
    void release();

  private:
    friend class AddressSlots;
    AddressSlot(std::shared_ptr<AddressSlots> owner, std::string key)
        : owner_(std::move(owner)), key_(std::move(key)) {}

    std::shared_ptr<AddressSlots> owner_;
    std::string key_;
};

// Thread-safe. Made with std::make_shared: slots keep their AddressSlots alive.
class AddressSlots : public std::enable_shared_from_this<AddressSlots> {
  public:
    // limit 0 = no limit (connections are still counted).
    explicit AddressSlots(std::size_t limit) : limit_(limit) {}

    std::size_t limit() const { return limit_; }
    // A slot for `key`, or nullopt when `key` already holds `limit` connections.
    std::optional<AddressSlot> tryTake(const std::string& key);
    // True when `key` holds `limit` connections already (a hint; tryTake decides).
    bool full(const std::string& key) const;
    std::size_t count(const std::string& key) const;
    std::size_t addresses() const;

  private:
    friend class AddressSlot;
    void give(const std::string& key);

    const std::size_t limit_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::size_t> counts_;
};

}  // namespace fp::websocket
