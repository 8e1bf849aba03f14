// storage-files: the outbox. Records live in outbox/ until acked, or move to failed/; claims
// (who holds a record, until when) are kept in memory only.
#include "file_storage.hpp"
#include "record_files.hpp"

namespace fp::examples::files {
namespace fs = std::filesystem;
using fp::sdk::OutboxRecord;
using fp::sdk::Status;
using fp::sdk::StatusCode;

namespace {
std::vector<std::string> fieldsOf(const OutboxRecord& r) {
    return {r.id,
            r.sink,
            r.resultId,
            r.payload,
            std::to_string(r.attempts),
            std::to_string(r.notBeforeMs),
            std::to_string(r.createdAtMs),
            r.lastError};
}

std::optional<OutboxRecord> recordOf(const std::vector<std::string>& f) {
    if (f.size() != 8)
        return std::nullopt;
    OutboxRecord r;
    r.id = f[0];
    r.sink = f[1];
    r.resultId = f[2];
    r.payload = f[3];
    r.attempts = static_cast<std::uint32_t>(std::stoul(f[4]));
    r.notBeforeMs = std::stoll(f[5]);
    r.createdAtMs = std::stoll(f[6]);
    r.lastError = f[7];
    return r;
}

Status unavailable(const std::string& error) {
    return Status::failure(StatusCode::unavailable, "storage-files: " + error);
}
}  // namespace

bool FileStorage::writeRecord(const std::string& folder, const OutboxRecord& record,
                              std::string& error) const {
    return writeFileAtomically(recordFile(folder, record.id), encodeFields(fieldsOf(record)),
                               error);
}

void FileStorage::loadRecords(const std::string& folder, bool failed) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder_ / folder, ec)) {
        if (entry.path().extension() == ".tmp") {
            fs::remove(entry.path(), ec);
            continue;
        }
        auto bytes = readFile(entry.path());
        auto fields = bytes ? decodeFields(*bytes) : std::nullopt;
        auto record = fields ? recordOf(*fields) : std::nullopt;
        if (!record) {
            logger_->warn("storage-files: skipping damaged outbox file " + entry.path().string());
            continue;
        }
        if (failed)
            failed_[record->id] = *record;
        else
            pending_[record->id] = PendingRecord{*record, Clock::time_point::min()};
    }
}

fp::sdk::ClaimResult FileStorage::claimOutbox(const std::string& /*consumerId*/, std::size_t max,
                                              std::chrono::milliseconds visibility) {
    std::lock_guard<std::mutex> lock(mutex_);
    fp::sdk::ClaimResult result;
    const auto now = Clock::now();
    const auto nowMs = nowUnixMs();
    for (auto& [id, pending] : pending_) {
        if (result.records.size() >= max)
            break;
        if (pending.claimedUntil > now || pending.record.notBeforeMs > nowMs)
            continue;
        pending.claimedUntil = now + visibility;  // hidden from every claim until then
        result.records.push_back(pending.record);
    }
    return result;
}

Status FileStorage::ackOutbox(const std::string& recordId) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::error_code ec;
    fs::remove(recordFile("outbox", recordId), ec);
    if (ec)
        return unavailable("cannot remove outbox record " + recordId + ": " + ec.message());
    pending_.erase(recordId);  // acking twice is harmless
    return Status::success();
}

Status FileStorage::releaseOutbox(const OutboxRecord& record) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = pending_.find(record.id);
    if (it == pending_.end())
        return Status::failure(StatusCode::notFound,
                               "outbox record " + record.id + " is not pending");
    std::string error;
    if (!writeRecord("outbox", record, error))
        return unavailable(error);
    it->second = PendingRecord{record, Clock::time_point::min()};
    return Status::success();
}

Status FileStorage::failOutbox(const OutboxRecord& record) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string error;
    if (!writeRecord("failed", record, error))
        return unavailable(error);
    std::error_code ec;
    fs::remove(recordFile("outbox", record.id), ec);
    pending_.erase(record.id);
    failed_[record.id] = record;
    return Status::success();
}

fp::sdk::FailedListResult FileStorage::listFailedOutbox() {
    std::lock_guard<std::mutex> lock(mutex_);
    fp::sdk::FailedListResult result;
    for (const auto& [id, record] : failed_)
        result.records.push_back(record);
    return result;
}

Status FileStorage::requeueFailedOutbox(const std::string& recordId) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = failed_.find(recordId);
    if (it == failed_.end())
        return Status::failure(StatusCode::notFound, "no failed outbox record " + recordId);
    OutboxRecord record = it->second;
    record.attempts = 0;  // a fresh start, as an operator asked for
    record.notBeforeMs = 0;
    std::string error;
    if (!writeRecord("outbox", record, error))
        return unavailable(error);
    std::error_code ec;
    fs::remove(recordFile("failed", recordId), ec);
    failed_.erase(it);
    pending_[recordId] = PendingRecord{record, Clock::time_point::min()};
    return Status::success();
}

fp::sdk::OutboxStats FileStorage::outboxStats() {
    std::lock_guard<std::mutex> lock(mutex_);
    fp::sdk::OutboxStats stats;
    stats.pending = pending_.size();
    stats.failed = failed_.size();
    for (const auto& [id, pending] : pending_) {
        const auto created = pending.record.createdAtMs;
        if (stats.oldestPendingCreatedAtMs == 0 || created < stats.oldestPendingCreatedAtMs)
            stats.oldestPendingCreatedAtMs = created;
    }
    return stats;
}

}  // namespace fp::examples::files
