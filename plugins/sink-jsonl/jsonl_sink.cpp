#include "jsonl_sink.hpp"

#include <Poco/JSON/Parser.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace fp::plugins::jsonl {
using fp::sdk::DeliveryOutcome;
using fp::sdk::DeliveryResult;
using fp::sdk::Status;
using fp::sdk::StatusCode;

namespace {
std::string resolve(const std::string& directory, const std::string& path) {
    std::filesystem::path p(path);
    if (p.is_absolute() || directory.empty())
        return p.lexically_normal().string();
    return (std::filesystem::path(directory) / p).lexically_normal().string();
}

bool isRegularFile(const std::string& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
}

// Reads the value of one string field of a JSON line; empty when absent or not JSON.
std::string stringField(const std::string& line, const std::string& field) {
    try {
        Poco::JSON::Parser parser;
        auto object = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
        return object->optValue<std::string>(field, "");
    } catch (const std::exception&) {
        return "";
    }
}
}  // namespace

JsonlSink::JsonlSink(const fp::sdk::PluginContext& context)
    : path_(resolve(context.configDirectory, context.options.getString("path"))),
      fsync_(context.options.getBool("fsync")),
      logger_(context.logger) {}

JsonlSink::~JsonlSink() {
    closeFile();
}

bool JsonlSink::openFile(std::string& error) {
    if (fd_ >= 0)
        return true;
    std::error_code ec;
    auto parent = std::filesystem::path(path_).parent_path();
    if (!parent.empty())
        std::filesystem::create_directories(parent, ec);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd_ < 0) {
        error = "cannot open " + path_ + ": " + std::strerror(errno);
        return false;
    }
    return true;
}

void JsonlSink::closeFile() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

fp::sdk::Status JsonlSink::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    // Remember what is already in the file, so a redelivery after a crash is not a duplicate.
    // Only a regular file is read: a device or a FIFO may never end.
    if (isRegularFile(path_)) {
        std::ifstream in(path_);
        std::string line;
        while (std::getline(in, line)) {
            auto id = stringField(line, "resultId");
            if (!id.empty())
                written_.insert(id);
        }
    }
    std::string error;
    if (!openFile(error)) {
        lastError_ = error;
        // Not fatal: deliveries retry, and readiness reports it.
        logger_->error(error);
    }
    logger_->info("appending results to " + path_ + " (" + std::to_string(written_.size()) +
                  " already there)");
    return Status::success();
}

void JsonlSink::stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    closeFile();
}

fp::sdk::Readiness JsonlSink::readiness() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!lastError_.empty())
        return {false, lastError_};
    return {};
}

DeliveryResult JsonlSink::deliver(const std::string& resultId, const std::string& resultJson) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (written_.count(resultId) != 0)
        return {DeliveryOutcome::delivered, {}, "already written"};
    std::string error;
    if (!openFile(error)) {
        lastError_ = error;
        return {DeliveryOutcome::retry, {}, error};
    }
    std::string line = resultJson;
    line += '\n';
    off_t before = ::lseek(fd_, 0, SEEK_END);
    std::size_t written = 0;
    while (written < line.size()) {
        ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            error = "write to " + path_ + " failed: " + std::strerror(errno);
            // Undo a partial line so the file stays one JSON object a line.
            if (written > 0 && before >= 0 && ::ftruncate(fd_, before) != 0) {
                error += " (and truncating the partial line failed)";
            }
            lastError_ = error;
            closeFile();
            return {DeliveryOutcome::retry, {}, error};
        }
        written += static_cast<std::size_t>(n);
    }
    if (fsync_ && ::fsync(fd_) != 0) {
        error = "fsync of " + path_ + " failed: " + std::strerror(errno);
        lastError_ = error;
        closeFile();
        return {DeliveryOutcome::retry, {}, error};
    }
    lastError_.clear();
    written_.insert(resultId);
    return {DeliveryOutcome::delivered, {}, ""};
}

fp::sdk::HistoryResult JsonlSink::readHistory(const std::string& roomId) {
    fp::sdk::HistoryResult result;
    std::lock_guard<std::mutex> lock(mutex_);
    if (!isRegularFile(path_))
        return result;  // nothing written yet, or nothing to read back
    std::ifstream in(path_);
    if (!in) {
        if (std::filesystem::exists(path_)) {
            result.status = Status::failure(StatusCode::unavailable, "cannot read " + path_);
        }
        return result;  // no file yet: no history
    }
    std::string line;
    while (std::getline(in, line)) {
        if (stringField(line, "roomId") == roomId)
            result.results.push_back(line);
    }
    return result;
}

}  // namespace fp::plugins::jsonl
