// The web client's files: mapping request paths to files under the web root (never outside
// it), content types, validators and cache policy. Pure functions, no HTTP objects.
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace fp::websocket {

struct StaticFile {
    std::filesystem::path path;  // canonical, inside the canonical web root
    std::uint64_t size = 0;
    std::int64_t mtimeSeconds = 0;
    std::int64_t mtimeNanoseconds = 0;
};

// Maps a decoded request path to a regular file under `webRoot`. "/" and "/r/<anything>"
// give index.html (the client routes rooms itself). Refuses "." and ".." segments,
// backslashes and NUL, and anything whose real path (symlinks resolved) leaves the root.
std::optional<StaticFile> resolveStaticFile(const std::string& webRoot,
                                            const std::string& decodedPath);

// "text/javascript; charset=utf-8" etc. by extension; application/octet-stream otherwise.
std::string contentTypeFor(const std::filesystem::path& file);

// html is revalidated every time (a new deploy shows at once); other assets are cached briefly.
std::string cacheControlFor(const std::filesystem::path& file);

// A strong validator from size and modification time.
std::string entityTagFor(const StaticFile& file);

// True if the request's validators say the client's copy is current (answer 304).
// If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
bool isNotModified(const StaticFile& file, std::string_view ifNoneMatch,
                   std::string_view ifModifiedSince);

}  // namespace fp::websocket
