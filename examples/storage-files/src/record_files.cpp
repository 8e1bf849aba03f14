#include "record_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace fp::examples::files {

std::string hexName(const std::string& id) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : id) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::string encodeFields(const std::vector<std::string>& fields) {
    std::string out;
    for (const auto& field : fields) {
        out += std::to_string(field.size());
        out += ':';
        out += field;
        out += '\n';
    }
    return out;
}

std::optional<std::vector<std::string>> decodeFields(const std::string& bytes) {
    std::vector<std::string> fields;
    std::size_t at = 0;
    while (at < bytes.size()) {
        const auto colon = bytes.find(':', at);
        if (colon == std::string::npos || colon == at || colon - at > 12)
            return std::nullopt;
        std::size_t length = 0;
        for (std::size_t i = at; i < colon; ++i) {
            if (bytes[i] < '0' || bytes[i] > '9')
                return std::nullopt;
            length = length * 10 + static_cast<std::size_t>(bytes[i] - '0');
        }
        if (colon + 1 + length + 1 > bytes.size() || bytes[colon + 1 + length] != '\n')
            return std::nullopt;
        fields.push_back(bytes.substr(colon + 1, length));
        at = colon + 1 + length + 1;
    }
    return fields;
}

bool writeFileAtomically(const std::filesystem::path& path, const std::string& bytes,
                         std::string& error) {
    const std::string temporary = path.string() + ".tmp";
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        error = "cannot write " + temporary + ": " + std::strerror(errno);
        return false;
    }
    std::size_t written = 0;
    while (written < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            error = "write to " + temporary + " failed: " + std::strerror(errno);
            ::close(fd);
            ::unlink(temporary.c_str());
            return false;
        }
        written += static_cast<std::size_t>(n);
    }
    // No fsync per write: this example trades durability on power loss for speed (a room
    // change is a few hundred bytes and happens on every vote). A crash of the process loses
    // nothing: the data is in the kernel's page cache.
    if (::close(fd) != 0 || ::rename(temporary.c_str(), path.c_str()) != 0) {
        error = "cannot put " + path.string() + " in place: " + std::strerror(errno);
        ::unlink(temporary.c_str());
        return false;
    }
    return true;
}

std::optional<std::string> readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace fp::examples::files
