// storage-files: construction, start-up (reading the folder back) and rooms and presence.
#include "file_storage.hpp"

#include "firepoker/sdk/option_builders.hpp"
#include "record_files.hpp"

namespace fp::examples::files {
namespace fs = std::filesystem;
using fp::sdk::Status;
using fp::sdk::StatusCode;

fp::sdk::Manifest manifest() {
    fp::sdk::Manifest m;
    m.name = "storage-files";
    m.version = "1.0.0";
    m.description =
        "Rooms and the outbox in files under one folder: they survive a restart "
        "(one server instance per folder)";
    m.options = {fp::sdk::option::string(
        "folder", "data/storage-files",
        "where the files go; relative paths resolve against the config file's folder")};
    return m;
}

std::int64_t nowUnixMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

FileStorage::FileStorage(const fp::sdk::PluginContext& context) : logger_(context.logger) {
    fs::path folder(context.options.getString("folder"));
    if (folder.is_relative() && !context.configDirectory.empty())
        folder = fs::path(context.configDirectory) / folder;
    folder_ = folder.lexically_normal();
}

fs::path FileStorage::roomFile(const std::string& roomId) const {
    return folder_ / "rooms" / hexName(roomId);
}

fs::path FileStorage::recordFile(const std::string& folder, const std::string& id) const {
    return folder_ / folder / hexName(id);
}

Status FileStorage::start() {
    std::error_code ec;
    for (const char* sub : {"rooms", "outbox", "failed"}) {
        fs::create_directories(folder_ / sub, ec);
        if (ec) {
            // Without its folder this storage can do nothing: refuse to start, say where.
            return Status::failure(
                StatusCode::unavailable,
                "storage-files cannot create " + (folder_ / sub).string() + ": " + ec.message());
        }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    loadRooms(nowUnixMs());
    loadRecords("outbox", false);
    loadRecords("failed", true);
    logger_->info("storage-files in " + folder_.string() + ": " + std::to_string(rooms_.size()) +
                  " rooms, " + std::to_string(pending_.size()) + " results waiting, " +
                  std::to_string(failed_.size()) + " failed");
    return Status::success();
}

void FileStorage::loadRooms(std::int64_t nowMs) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder_ / "rooms", ec)) {
        if (entry.path().extension() == ".tmp") {
            fs::remove(entry.path(), ec);  // a write that a crash interrupted
            continue;
        }
        auto bytes = readFile(entry.path());
        auto fields = bytes ? decodeFields(*bytes) : std::nullopt;
        if (!fields || fields->size() != 4) {
            logger_->warn("storage-files: skipping damaged room file " + entry.path().string());
            continue;
        }
        StoredRoom room;
        room.document.roomId = (*fields)[0];
        room.document.version = std::stoull((*fields)[1]);
        room.expiresAtMs = std::stoll((*fields)[2]);
        room.document.json = (*fields)[3];
        if (room.expiresAtMs != 0 && room.expiresAtMs <= nowMs) {
            fs::remove(entry.path(), ec);
            continue;
        }
        rooms_[room.document.roomId] = std::move(room);
    }
}

bool FileStorage::roomIsLiveLocked(const std::string& roomId, std::int64_t nowMs) {
    auto it = rooms_.find(roomId);
    if (it == rooms_.end())
        return false;
    if (it->second.expiresAtMs != 0 && it->second.expiresAtMs <= nowMs) {
        std::error_code ec;
        fs::remove(roomFile(roomId), ec);
        rooms_.erase(it);
        return false;
    }
    return true;
}

fp::sdk::LoadResult FileStorage::load(const std::string& roomId) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!roomIsLiveLocked(roomId, nowUnixMs())) {
        fp::sdk::RoomDocument none;
        none.roomId = roomId;
        return {Status::failure(StatusCode::notFound, "room " + roomId + " is not stored"), none};
    }
    return {Status::success(), rooms_.at(roomId).document};
}

fp::sdk::CommitResult FileStorage::compareAndSwap(const fp::sdk::CommitRequest& request) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto nowMs = nowUnixMs();
    const std::uint64_t current =
        roomIsLiveLocked(request.roomId, nowMs) ? rooms_.at(request.roomId).document.version : 0;
    if (current != request.expectedVersion) {
        return {Status::failure(StatusCode::conflict, "room " + request.roomId + " is at version " +
                                                          std::to_string(current) + ", not " +
                                                          std::to_string(request.expectedVersion)),
                0};
    }
    // The outbox records first, then the room: if the room cannot be written the records are
    // taken back, so a lost compare-and-swap leaves nothing behind.
    std::string error;
    std::size_t written = 0;
    for (; written < request.outbox.size(); ++written) {
        if (!writeRecord("outbox", request.outbox[written], error))
            break;
    }
    StoredRoom room;
    room.document = {request.roomId, current + 1, request.json};
    room.expiresAtMs = request.ttl.count() > 0 ? nowMs + request.ttl.count() * 1000 : 0;
    if (written == request.outbox.size()) {
        writeFileAtomically(
            roomFile(request.roomId),
            encodeFields({room.document.roomId, std::to_string(room.document.version),
                          std::to_string(room.expiresAtMs), room.document.json}),
            error);
    }
    if (!error.empty()) {
        std::error_code ec;
        for (std::size_t i = 0; i < written; ++i)
            fs::remove(recordFile("outbox", request.outbox[i].id), ec);
        return {Status::failure(StatusCode::unavailable, "storage-files: " + error), 0};
    }
    for (const auto& record : request.outbox)
        pending_[record.id] = PendingRecord{record, Clock::time_point::min()};
    rooms_[request.roomId] = std::move(room);
    return {Status::success(), current + 1};
}

Status FileStorage::remove(const std::string& roomId) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::error_code ec;
    fs::remove(roomFile(roomId), ec);
    if (ec)
        return Status::failure(StatusCode::unavailable,
                               "storage-files cannot remove room " + roomId + ": " + ec.message());
    rooms_.erase(roomId);
    return Status::success();
}

Status FileStorage::heartbeat(const std::string& instanceId, std::chrono::seconds ttl) {
    std::lock_guard<std::mutex> lock(mutex_);
    instanceExpiry_[instanceId] = Clock::now() + ttl;
    return Status::success();
}

fp::sdk::InstancesResult FileStorage::liveInstances() {
    std::lock_guard<std::mutex> lock(mutex_);
    fp::sdk::InstancesResult result;
    const auto now = Clock::now();
    for (auto it = instanceExpiry_.begin(); it != instanceExpiry_.end();) {
        if (it->second <= now) {
            it = instanceExpiry_.erase(it);
        } else {
            result.liveInstanceIds.push_back(it->first);
            ++it;
        }
    }
    return result;
}

}  // namespace fp::examples::files
