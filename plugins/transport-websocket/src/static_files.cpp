#include "static_files.hpp"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <sys/stat.h>

#include <cctype>
#include <cstdio>
#include <system_error>

namespace fp::websocket {
namespace fs = std::filesystem;
namespace {

bool isInside(const fs::path& root, const fs::path& candidate) {
    auto r = root.begin();
    auto c = candidate.begin();
    for (; r != root.end(); ++r, ++c) {
        if (c == candidate.end() || *r != *c)
            return false;
    }
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

std::string lowerExtension(const fs::path& file) {
    std::string ext = file.extension().string();
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

}  // namespace

std::optional<StaticFile> resolveStaticFile(const std::string& webRoot,
                                            const std::string& decodedPath) {
    if (webRoot.empty() || decodedPath.empty() || decodedPath.front() != '/')
        return std::nullopt;
    if (decodedPath.find('\0') != std::string::npos ||
        decodedPath.find('\\') != std::string::npos) {
        return std::nullopt;
    }
    std::string relative;
    if (decodedPath == "/" || decodedPath.rfind("/r/", 0) == 0) {
        relative = "index.html";
    } else {
        // Check every segment of the decoded path, so "%2e%2e" is refused like "..".
        std::string_view rest(decodedPath);
        rest.remove_prefix(1);
        while (true) {
            const auto slash = rest.find('/');
            const std::string_view segment = rest.substr(0, slash);
            if (segment == "." || segment == "..")
                return std::nullopt;
            if (slash == std::string_view::npos)
                break;
            rest.remove_prefix(slash + 1);
        }
        // Leading slashes go, so "//etc/passwd" does not become an absolute path below.
        const auto start = decodedPath.find_first_not_of('/');
        if (start == std::string::npos)
            return std::nullopt;
        relative = decodedPath.substr(start);
    }

    std::error_code error;
    const fs::path root = fs::canonical(webRoot, error);
    if (error)
        return std::nullopt;
    // canonical() resolves symlinks, so a link pointing out of the root is caught here.
    const fs::path real = fs::canonical(root / relative, error);
    if (error || !isInside(root, real))
        return std::nullopt;

    struct stat info {};
    if (::stat(real.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
        return std::nullopt;
    StaticFile file;
    file.path = real;
    file.size = static_cast<std::uint64_t>(info.st_size);
    file.mtimeSeconds = static_cast<std::int64_t>(info.st_mtim.tv_sec);
    file.mtimeNanoseconds = static_cast<std::int64_t>(info.st_mtim.tv_nsec);
    return file;
}

std::string contentTypeFor(const fs::path& file) {
    const std::string ext = lowerExtension(file);
    if (ext == ".html" || ext == ".htm")
        return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs")
        return "text/javascript; charset=utf-8";
    if (ext == ".css")
        return "text/css; charset=utf-8";
    if (ext == ".svg")
        return "image/svg+xml";
    if (ext == ".png")
        return "image/png";
    if (ext == ".ico")
        return "image/x-icon";
    if (ext == ".json" || ext == ".map")
        return "application/json";
    if (ext == ".webmanifest")
        return "application/manifest+json";
    if (ext == ".txt")
        return "text/plain; charset=utf-8";
    if (ext == ".woff2")
        return "font/woff2";
    return "application/octet-stream";
}

std::string cacheControlFor(const fs::path& file) {
    const std::string ext = lowerExtension(file);
    if (ext == ".html" || ext == ".htm")
        return "no-cache";
    return "public, max-age=300";
}

std::string entityTagFor(const StaticFile& file) {
    char tag[64];
    std::snprintf(tag, sizeof tag, "\"%llx-%llx-%llx\"", static_cast<unsigned long long>(file.size),
                  static_cast<unsigned long long>(file.mtimeSeconds),
                  static_cast<unsigned long long>(file.mtimeNanoseconds));
    return tag;
}

bool isNotModified(const StaticFile& file, std::string_view ifNoneMatch,
                   std::string_view ifModifiedSince) {
    if (!trim(ifNoneMatch).empty()) {
        const std::string tag = entityTagFor(file);
        std::string_view list = ifNoneMatch;
        while (!list.empty()) {
            const auto comma = list.find(',');
            std::string_view candidate = trim(list.substr(0, comma));
            if (candidate.rfind("W/", 0) == 0)
                candidate.remove_prefix(2);  // weak comparison
            if (candidate == "*" || candidate == tag)
                return true;
            if (comma == std::string_view::npos)
                break;
            list.remove_prefix(comma + 1);
        }
        return false;
    }
    if (trim(ifModifiedSince).empty())
        return false;
    Poco::DateTime since;
    int zone = 0;
    if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT,
                                        std::string(trim(ifModifiedSince)), since, zone)) {
        return false;
    }
    const std::int64_t sinceSeconds = since.timestamp().epochTime() - zone;
    return file.mtimeSeconds <= sinceSeconds;
}

}  // namespace fp::websocket
