#include "delivery/outbox_worker.hpp"

#include <algorithm>
#include <cmath>

#include "util/clock.hpp"

namespace fp::delivery {
using Clock = std::chrono::steady_clock;

namespace {
// How often a drain looks again for results coming due.
constexpr std::chrono::milliseconds kDrainPoll{100};
// Claims taken at shutdown to list what is left: 100 a claim, at most this many claims.
constexpr int kMaxPendingClaims = 1000;
// Past this many remembered results, those already due are forgotten (another instance may
// have taken them; what is still due is claimed at shutdown anyway).
constexpr std::size_t kMaxRemembered = 4096;
}  // namespace

OutboxWorker::OutboxWorker(fp::sdk::Storage& storage, config::DeliverySettings settings,
                           metrics::MetricsRegistry& metrics,
                           std::shared_ptr<spdlog::logger> logger, std::string consumerId,
                           const ResultLog& resultLog)
    : storage_(storage),
      settings_(settings),
      metrics_(metrics),
      logger_(std::move(logger)),
      consumerId_(std::move(consumerId)),
      resultLog_(resultLog) {}

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
    // On the caller's thread until the deadline: what is due goes out, and what this worker
    // put back to wait (backoff, Retry-After, a paused sink's probe) is waited for when it
    // comes due in time.
    while (Clock::now() < deadline) {
        if (deliverBatch(deadline) > 0)
            continue;
        const auto due = nextUnfinishedDueMs();
        if (!due)
            break;
        const auto untilDue =
            std::chrono::milliseconds(std::max<std::int64_t>(0, *due - util::nowUnixMs()));
        if (Clock::now() + untilDue >= deadline)
            break;
        std::this_thread::sleep_for(std::min<Clock::duration>(
            {untilDue + std::chrono::milliseconds(1), kDrainPoll, deadline - Clock::now()}));
    }
    logPending();
}

void OutboxWorker::rememberUnfinished(const fp::sdk::OutboxRecord& record) {
    std::lock_guard<std::mutex> lock(unfinishedMutex_);
    if (unfinished_.size() >= kMaxRemembered) {
        const auto now = util::nowUnixMs();
        for (auto it = unfinished_.begin(); it != unfinished_.end();)
            it = it->second.notBeforeMs <= now ? unfinished_.erase(it) : std::next(it);
    }
    unfinished_[record.id] = record;
}

void OutboxWorker::forgetUnfinished(const std::string& recordId) {
    std::lock_guard<std::mutex> lock(unfinishedMutex_);
    unfinished_.erase(recordId);
}

std::optional<std::int64_t> OutboxWorker::nextUnfinishedDueMs() {
    std::lock_guard<std::mutex> lock(unfinishedMutex_);
    std::optional<std::int64_t> earliest;
    for (const auto& [id, record] : unfinished_) {
        if (!earliest || record.notBeforeMs < *earliest)
            earliest = record.notBeforeMs;
    }
    return earliest;
}

void OutboxWorker::logPending() {
    // What can be claimed now (due, not claimed by anyone), then what this worker put back to
    // wait and is not due yet. What it put back that is due but could not be claimed was
    // taken by another instance, which logs it.
    std::map<std::string, fp::sdk::OutboxRecord> left;
    std::vector<fp::sdk::OutboxRecord> claimed;
    for (int i = 0; i < kMaxPendingClaims; ++i) {
        auto batch = storage_.claimOutbox(consumerId_, 100,
                                          std::chrono::seconds(settings_.claimVisibilitySeconds));
        if (!batch.status.ok()) {
            logger_->warn("listing the results left in the outbox failed: {}",
                          batch.status.message);
            break;
        }
        if (batch.records.empty())
            break;
        for (auto& record : batch.records)
            claimed.push_back(std::move(record));
    }
    {
        const auto now = util::nowUnixMs();
        std::lock_guard<std::mutex> lock(unfinishedMutex_);
        for (const auto& [id, record] : unfinished_) {
            if (record.notBeforeMs > now)
                left[id] = record;
        }
        unfinished_.clear();
    }
    for (const auto& record : claimed)
        left[record.id] = record;
    // Handed back at once: another instance (or this one's successor on shared storage) may
    // deliver them without waiting out the claim.
    for (const auto& record : claimed) {
        auto status = storage_.releaseOutbox(record);
        if (!status.ok()) {
            logger_->warn("result {} for sink {}: could not put it back in the outbox: {}",
                          record.resultId, record.sink, status.message);
        }
    }
    for (const auto& [id, record] : left)
        resultLog_.pending(record);
    if (!left.empty()) {
        logger_->warn(
            "{} results not delivered to their sinks at shutdown: logged as result.pending "
            "(fire-poker replay-results delivers them from the log)",
            left.size());
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
        if (deliverOne(std::move(record), claimedAt, deadline))
            ++processed;
    }
    return processed;
}

bool OutboxWorker::deliverOne(fp::sdk::OutboxRecord record, Clock::time_point claimedAt,
                              Clock::time_point deadline) {
    std::shared_ptr<fp::sdk::Sink> sink;
    Clock::duration wait{};
    if (deferIfSinkWaits(record, claimedAt, sink, wait))
        return true;
    if (wait > Clock::duration::zero()) {
        if (Clock::now() + wait > deadline) {
            release(record);
            return false;
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
    return true;
}

}  // namespace fp::delivery
