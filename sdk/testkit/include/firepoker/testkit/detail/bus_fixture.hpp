// The bus under test, with a listener that records what it is given.
#pragma once

#include <catch2/catch.hpp>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "firepoker/sdk/bus.hpp"
#include "firepoker/testkit/conformance_support.hpp"

namespace fp::testkit {

// Makes a new bus, not started. Two buses made by one factory must reach each other (two
// server instances on one backend) when the kit is told they do (crossInstance).
using BusFactory = std::function<std::shared_ptr<fp::sdk::Bus>()>;

struct BusConformanceOptions {
    // True when two buses from the factory deliver to each other (a shared backend); false
    // for an in-process bus.
    bool crossInstance = true;
    // How long to wait for a delivery, and to be sure nothing more arrives.
    int deliveryTimeoutMs = 3000;
    int quietMs = 400;
};

namespace detail {

struct Delivery {
    std::string roomId;
    std::uint64_t version = 0;
    std::string payload;
};

class RecordingListener final : public fp::sdk::BusListener {
  public:
    void onRoomState(const std::string& roomId, std::uint64_t version,
                     const std::string& payload) override {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            deliveries_.push_back({roomId, version, payload});
        }
        changed_.notify_all();
    }
    void onResync() override {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            ++resyncs_;
        }
        changed_.notify_all();
    }

    // The deliveries for a room once there are at least `count` (or what came by the timeout).
    std::vector<Delivery> waitFor(const std::string& roomId, std::size_t count, int timeoutMs) {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                          [&] { return countLocked(roomId) >= count; });
        return forRoomLocked(roomId);
    }
    std::vector<Delivery> forRoom(const std::string& roomId) {
        std::lock_guard<std::mutex> lock(mutex_);
        return forRoomLocked(roomId);
    }

  private:
    std::size_t countLocked(const std::string& roomId) const {
        return forRoomLocked(roomId).size();
    }
    std::vector<Delivery> forRoomLocked(const std::string& roomId) const {
        std::vector<Delivery> out;
        for (const auto& d : deliveries_) {
            if (d.roomId == roomId)
                out.push_back(d);
        }
        return out;
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Delivery> deliveries_;
    int resyncs_ = 0;
};

class StartedBus {
  public:
    explicit StartedBus(const BusFactory& factory) : bus_(factory()) {
        REQUIRE(bus_ != nullptr);
        bus_->setListener(&listener_);
        auto status = bus_->start();
        INFO(status.message);
        REQUIRE(status.ok());
    }
    ~StartedBus() {
        bus_->setListener(nullptr);
        bus_->stop();
    }
    StartedBus(const StartedBus&) = delete;
    StartedBus& operator=(const StartedBus&) = delete;

    fp::sdk::Bus* operator->() { return bus_.get(); }
    RecordingListener& listener() { return listener_; }

    void subscribe(const std::string& roomId) {
        auto status = bus_->subscribe(roomId);
        INFO(status.message);
        REQUIRE(status.ok());
    }
    void publish(const std::string& roomId, std::uint64_t version, const std::string& payload) {
        auto status = bus_->publish(roomId, version, payload);
        INFO(status.message);
        REQUIRE(status.ok());
    }

  private:
    RecordingListener listener_;
    std::shared_ptr<fp::sdk::Bus> bus_;
};

}  // namespace detail
}  // namespace fp::testkit
