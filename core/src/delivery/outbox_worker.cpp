#include "delivery/outbox_worker.hpp"

#include <cmath>

namespace fp::delivery {
using Clock = std::chrono::steady_clock;

OutboxWorker::OutboxWorker(fp::sdk::Storage& storage, config::DeliverySettings settings,
                           metrics::MetricsRegistry& metrics,
                           std::shared_ptr<spdlog::logger> logger, std::string consumerId)
    : storage_(storage),
      settings_(settings),
      metrics_(metrics),
      logger_(std::move(logger)),
      consumerId_(std::move(consumerId)) {}

OutboxWorker::~OutboxWorker() {
    stopping_ = true;
    wake();
    if (thread_.joinable())
        thread_.join();
}

void OutboxWorker::addSink(const std::string& name, std::shared_ptr<fp::sdk::Sink> sink) {
    std::lock_guard<std::mutex> lock(sinksMutex_);
    const double rate = settings_.requestsPerSecond;
    SinkState state{std::move(sink), RateLimiter(rate, std::max(1.0, rate))};
    sinks_.emplace(name, std::move(state));
}

std::chrono::milliseconds OutboxWorker::backoff(std::uint32_t attempts, int initialMs, int maxMs,
                                                double jitterFactor) {
    const double exponent = std::min<double>(attempts > 0 ? attempts - 1 : 0, 30);
    const double base = std::min<double>(initialMs * std::pow(2.0, exponent), maxMs);
    return std::chrono::milliseconds(
        static_cast<std::int64_t>(std::min<double>(base * jitterFactor, maxMs)));
}

void OutboxWorker::start() {
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void OutboxWorker::wake() {
    {
        std::lock_guard<std::mutex> lock(wakeMutex_);
        wakeRequested_ = true;
    }
    wakeCondition_.notify_all();
}

void OutboxWorker::run() {
    while (!stopping_) {
        const std::size_t processed = deliverBatch(Clock::time_point::max());
        if (processed > 0)
            continue;
        std::unique_lock<std::mutex> lock(wakeMutex_);
        wakeCondition_.wait_for(lock, std::chrono::milliseconds(250),
                                [this] { return wakeRequested_ || stopping_.load(); });
        wakeRequested_ = false;
    }
}

void OutboxWorker::flushAndStop(Clock::time_point deadline) {
    stopping_ = true;
    wake();
    if (thread_.joinable())
        thread_.join();
    // One last pass on the caller's thread: what is due now goes out before the process ends.
    while (Clock::now() < deadline) {
        if (deliverBatch(deadline) == 0)
            break;
    }
}

std::size_t OutboxWorker::deliverBatch(Clock::time_point deadline) {
    auto claimed = storage_.claimOutbox(consumerId_, 16,
                                        std::chrono::seconds(settings_.claimVisibilitySeconds));
    const auto claimedAt = Clock::now();
    if (!claimed.status.ok()) {
        logger_->warn("claiming results from the outbox failed: {}", claimed.status.message);
        return 0;
    }
    std::size_t processed = 0;
    for (auto& record : claimed.records) {
        if (Clock::now() >= deadline) {
            // Unprocessed claims go back at once instead of waiting out their visibility.
            release(record);
            continue;
        }
        deliverOne(std::move(record), claimedAt, deadline);
        ++processed;
    }
    return processed;
}

void OutboxWorker::deliverOne(fp::sdk::OutboxRecord record, Clock::time_point claimedAt,
                              Clock::time_point deadline) {
    std::shared_ptr<fp::sdk::Sink> sink;
    Clock::duration wait{};
    if (deferIfSinkWaits(record, claimedAt, sink, wait))
        return;
    if (wait > Clock::duration::zero()) {
        if (Clock::now() + wait > deadline) {
            release(record);
            return;
        }
        std::this_thread::sleep_for(wait);
    }

    fp::sdk::DeliveryResult result;
    try {
        result = sink->deliver(record.resultId, record.payload);
    } catch (const std::exception& e) {
        // A sink that throws is treated as not working right now.
        result = {fp::sdk::DeliveryOutcome::paused, {}, std::string("sink threw: ") + e.what()};
    } catch (...) {
        result = {fp::sdk::DeliveryOutcome::paused, {}, "sink threw an unknown exception"};
    }
    applyOutcome(std::move(record), result);
}

}  // namespace fp::delivery
