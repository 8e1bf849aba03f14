#include "markdown_sink.hpp"

#include <Poco/JSON/Parser.h>
#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "firepoker/sdk/option_builders.hpp"
#include "markdown_render.hpp"

namespace fp::examples::markdown {
namespace fs = std::filesystem;
using fp::sdk::DeliveryOutcome;
using fp::sdk::DeliveryResult;

fp::sdk::Manifest manifest() {
    fp::sdk::Manifest m;
    m.name = "sink-markdown";
    m.version = "1.0.0";
    m.description = "Writes each finalized result as a Markdown file, <folder>/<resultId>.md";
    m.options = {fp::sdk::option::string(
        "folder", "results-md", "where the files go; relative paths resolve against the config")};
    return m;
}

namespace {
// A result id becomes a file name: only characters that are safe in one.
bool isSafeFileStem(const std::string& id) {
    if (id.empty() || id.size() > 200 || id[0] == '.')
        return false;
    for (unsigned char c : id) {
        if (!(std::isalnum(c) || c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

// What a failed write means for the sink. A folder that cannot be written fails every result
// alike: the sink is `paused` until someone fixes it (the server probes it again with the next
// due result). A full disk or an I/O error may pass for this very record: `retry`.
DeliveryOutcome outcomeOfWriteError(int error) {
    switch (error) {
        case EACCES:
        case EPERM:
        case EROFS:
        case ENOTDIR:
        case ENOENT:
        case EISDIR:
            return DeliveryOutcome::paused;
        default:
            return DeliveryOutcome::retry;
    }
}
}  // namespace

MarkdownSink::MarkdownSink(const fp::sdk::PluginContext& context)
    : logger_(context.logger),
      filesWritten_(context.metrics->counter("markdown_files_written_total",
                                             "result pages written (not counting redeliveries)")) {
    fs::path folder(context.options.getString("folder"));
    if (folder.is_relative() && !context.configDirectory.empty())
        folder = fs::path(context.configDirectory) / folder;
    folder_ = folder.lexically_normal();
}

fp::sdk::Status MarkdownSink::start() {
    // A folder that cannot be made now is not fatal: deliveries retry and readiness says why.
    std::error_code ec;
    fs::create_directories(folder_, ec);
    if (ec)
        setLastError("cannot create " + folder_.string() + ": " + ec.message(), ec.value());
    logger_->info("writing results as Markdown files to " + folder_.string());
    return fp::sdk::Status::success();
}

fp::sdk::Readiness MarkdownSink::readiness() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return {lastError_.empty(), lastError_};
}

void MarkdownSink::setLastError(std::string error, int code) {
    int previousCode = 0;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        previousCode = lastErrorCode_;
        lastError_ = error;
        lastErrorCode_ = code;
    }
    // The server logs every failed delivery with its reason already: only a change is news.
    if (code != 0 && code != previousCode)
        logger_->warn(error);
    else if (code == 0 && previousCode != 0)
        logger_->info("writing to " + folder_.string() + " works again");
}

DeliveryResult MarkdownSink::deliver(const std::string& resultId, const std::string& resultJson) {
    // Problems with the record itself can never be fixed by retrying: `failed`.
    if (!isSafeFileStem(resultId))
        return {
            DeliveryOutcome::failed, {}, "result id '" + resultId + "' is not a safe file name"};
    std::string page;
    try {
        Poco::JSON::Parser parser;
        auto parsed = parser.parse(resultJson);
        auto object = parsed.extract<Poco::JSON::Object::Ptr>();
        page = renderResult(*object);
    } catch (const std::exception& e) {
        return {DeliveryOutcome::failed, {}, "result " + resultId + " is not usable: " + e.what()};
    }

    // Problems with the folder may go away (permissions fixed, space freed): paused or retry.
    const fs::path target = folder_ / (resultId + ".md");
    std::error_code ec;
    if (fs::exists(target, ec))
        return {DeliveryOutcome::delivered, {}, "already written"};
    fs::create_directories(folder_, ec);
    std::string error;
    if (int failure = writeAtomically(target, page, error); failure != 0) {
        setLastError(error, failure);
        return {outcomeOfWriteError(failure), {}, error};
    }
    setLastError("", 0);
    filesWritten_->increment();
    return {DeliveryOutcome::delivered, {}, ""};
}

int MarkdownSink::writeAtomically(const fs::path& target, const std::string& page,
                                  std::string& error) {
    const fs::path temporary = target.string() + ".partial";
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        const int failure = errno;
        error = "cannot write " + temporary.string() + ": " + std::strerror(failure);
        return failure;
    }
    std::size_t written = 0;
    while (written < page.size()) {
        ssize_t n = ::write(fd, page.data() + written, page.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int failure = errno;
            error = "write to " + temporary.string() + " failed: " + std::strerror(failure);
            ::close(fd);
            ::unlink(temporary.c_str());
            return failure;
        }
        written += static_cast<std::size_t>(n);
    }
    // Durable before it is visible: once the file has its final name, it is complete.
    int failure = ::fsync(fd) == 0 ? 0 : errno;
    if (::close(fd) != 0 && failure == 0)
        failure = errno;
    if (failure != 0) {
        error = "flushing " + temporary.string() + " failed: " + std::strerror(failure);
        ::unlink(temporary.c_str());
        return failure;
    }
    if (::rename(temporary.c_str(), target.c_str()) != 0) {
        failure = errno;
        error = "cannot rename to " + target.string() + ": " + std::strerror(failure);
        ::unlink(temporary.c_str());
        return failure;
    }
    return 0;
}

}  // namespace fp::examples::markdown
