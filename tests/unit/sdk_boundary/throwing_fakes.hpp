// Plugin objects that throw from every member, and core-side callbacks that throw, for the
// guard tests. `nonStandard` makes them throw an int instead of a std::exception.
#pragma once

#include <stdexcept>

#include "firepoker/sdk/bus.hpp"
#include "firepoker/sdk/sink.hpp"
#include "firepoker/sdk/storage.hpp"
#include "firepoker/sdk/transport.hpp"

namespace fp::testing {

struct Thrower {
    bool nonStandard = false;
    [[noreturn]] void raise(const char* where) const {
        if (nonStandard)
            throw 42;
        throw std::runtime_error(std::string("boom in ") + where);
    }
};

class ThrowingStorage final : public fp::sdk::Storage, Thrower {
  public:
    explicit ThrowingStorage(bool nonStd = false) { nonStandard = nonStd; }
    fp::sdk::Status start() override { raise("start"); }
    void stop() override { raise("stop"); }
    fp::sdk::Readiness readiness() const override { raise("readiness"); }
    fp::sdk::LoadResult load(const std::string&) override { raise("load"); }
    fp::sdk::CommitResult compareAndSwap(const fp::sdk::CommitRequest&) override {
        raise("compareAndSwap");
    }
    fp::sdk::Status remove(const std::string&) override { raise("remove"); }
    bool publishesOnCommit() const override { raise("publishesOnCommit"); }
    fp::sdk::ClaimResult claimOutbox(const std::string&, std::size_t,
                                     std::chrono::milliseconds) override {
        raise("claimOutbox");
    }
    fp::sdk::Status ackOutbox(const std::string&) override { raise("ackOutbox"); }
    fp::sdk::Status releaseOutbox(const fp::sdk::OutboxRecord&) override { raise("releaseOutbox"); }
    fp::sdk::Status failOutbox(const fp::sdk::OutboxRecord&) override { raise("failOutbox"); }
    fp::sdk::FailedListResult listFailedOutbox() override { raise("listFailedOutbox"); }
    fp::sdk::Status requeueFailedOutbox(const std::string&) override {
        raise("requeueFailedOutbox");
    }
    fp::sdk::OutboxStats outboxStats() override { raise("outboxStats"); }
    fp::sdk::Status heartbeat(const std::string&, std::chrono::seconds) override {
        raise("heartbeat");
    }
    fp::sdk::InstancesResult liveInstances() override { raise("liveInstances"); }
};

class ThrowingBus final : public fp::sdk::Bus, Thrower {
  public:
    fp::sdk::Status start() override { raise("start"); }
    void stop() override { raise("stop"); }
    fp::sdk::Readiness readiness() const override { raise("readiness"); }
    void setListener(fp::sdk::BusListener*) override { raise("setListener"); }
    fp::sdk::Status publish(const std::string&, std::uint64_t, const std::string&) override {
        raise("publish");
    }
    fp::sdk::Status subscribe(const std::string&) override { raise("subscribe"); }
    fp::sdk::Status unsubscribe(const std::string&) override { raise("unsubscribe"); }
};

// A bus that works, and hands what it publishes to its listener on the calling thread.
class LoopbackBus final : public fp::sdk::Bus {
  public:
    void setListener(fp::sdk::BusListener* listener) override { listener_ = listener; }
    fp::sdk::Status publish(const std::string& room, std::uint64_t version,
                            const std::string& payload) override {
        if (listener_) {
            listener_->onRoomState(room, version, payload);
            listener_->onResync();
        }
        return {};
    }
    fp::sdk::Status subscribe(const std::string&) override { return {}; }
    fp::sdk::Status unsubscribe(const std::string&) override { return {}; }

  private:
    fp::sdk::BusListener* listener_ = nullptr;
};

class ThrowingListener final : public fp::sdk::BusListener, Thrower {
  public:
    void onRoomState(const std::string&, std::uint64_t, const std::string&) override {
        raise("onRoomState");
    }
    void onResync() override { raise("onResync"); }
};

class ThrowingSink final : public fp::sdk::Sink, Thrower {
  public:
    fp::sdk::Status start() override { raise("start"); }
    void stop() override { raise("stop"); }
    fp::sdk::Readiness readiness() const override { raise("readiness"); }
    fp::sdk::DeliveryResult deliver(const std::string&, const std::string&) override {
        raise("deliver");
    }
    bool canReadHistory() const override { raise("canReadHistory"); }
    fp::sdk::HistoryResult readHistory(const std::string&) override { raise("readHistory"); }
};

class ThrowingTransport final : public fp::sdk::Transport, Thrower {
  public:
    fp::sdk::Status start() override { raise("start"); }
    void stop() override { raise("stop"); }
    fp::sdk::Readiness readiness() const override { raise("readiness"); }
    void setHost(fp::sdk::TransportHost*) override { raise("setHost"); }
    void setListenAddress(const std::string&) override { raise("setListenAddress"); }
    void setWebRoot(const std::string&) override { raise("setWebRoot"); }
    std::string boundAddress() const override { raise("boundAddress"); }
    fp::sdk::SharedOutbound prepare(std::string) const override { raise("prepare"); }
    void send(fp::sdk::ConnectionId, const fp::sdk::SharedOutbound&) override { raise("send"); }
    void close(fp::sdk::ConnectionId, std::uint16_t, const std::string&) override {
        raise("close");
    }
    void stopAccepting() override { raise("stopAccepting"); }
    void closeAll(std::uint16_t, const std::string&, int) override { raise("closeAll"); }
    fp::sdk::TransportStats stats() const override { raise("stats"); }
};

// A transport that works just enough to hand the core's host back to the test.
class HostKeepingTransport final : public fp::sdk::Transport {
  public:
    fp::sdk::TransportHost* host = nullptr;
    void setHost(fp::sdk::TransportHost* h) override { host = h; }
    void setListenAddress(const std::string&) override {}
    void setWebRoot(const std::string&) override {}
    std::string boundAddress() const override { return "127.0.0.1:1"; }
    fp::sdk::SharedOutbound prepare(std::string payload) const override {
        return std::make_shared<const fp::sdk::OutboundMessage>(
            fp::sdk::OutboundMessage{payload, payload});
    }
    void send(fp::sdk::ConnectionId, const fp::sdk::SharedOutbound&) override {}
    void close(fp::sdk::ConnectionId, std::uint16_t, const std::string&) override {}
    void stopAccepting() override {}
    void closeAll(std::uint16_t, const std::string&, int) override {}
    fp::sdk::TransportStats stats() const override { return {}; }
};

class ThrowingHost final : public fp::sdk::TransportHost, Thrower {
  public:
    bool acceptConnection(const fp::sdk::ConnectionInfo&, std::string&) override {
        raise("acceptConnection");
    }
    void onConnectionOpened(fp::sdk::ConnectionId, const fp::sdk::ConnectionInfo&) override {
        raise("onConnectionOpened");
    }
    void onTextMessage(fp::sdk::ConnectionId, std::string) override { raise("onTextMessage"); }
    void onConnectionClosed(fp::sdk::ConnectionId, std::uint16_t) override {
        raise("onConnectionClosed");
    }
    bool isCoreRoute(const std::string&) const override { raise("isCoreRoute"); }
    fp::sdk::HttpResponse handleHttp(const fp::sdk::HttpRequest&) override { raise("handleHttp"); }
};

}  // namespace fp::testing
