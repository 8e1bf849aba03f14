// How storage-files keeps things on disk: one file per room or outbox record, named by the hex
// of its id, written whole to a temporary file and renamed into place (a crash leaves either
// the old or the new file, never half of one). Fields are length-prefixed, so any bytes (the
// room document is opaque, NUL bytes included) come back exactly.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fp::examples::files {

// "room-1" -> "726f6f6d2d31": safe in a file name whatever the id holds.
std::string hexName(const std::string& id);

// Fields <-> file bytes: "<length>:<bytes>\n" for each field.
std::string encodeFields(const std::vector<std::string>& fields);
// Empty when the bytes are not a whole set of fields (a damaged file).
std::optional<std::vector<std::string>> decodeFields(const std::string& bytes);

// Writes the file atomically; false with `error` set when it could not.
bool writeFileAtomically(const std::filesystem::path& path, const std::string& bytes,
                         std::string& error);
std::optional<std::string> readFile(const std::filesystem::path& path);

}  // namespace fp::examples::files
