#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.h"
#include "library/source_format.h"

namespace hm::library {

// The text of one category's source file, as firmware/library/README.md describes
// it, so that parse_source() reads back the same category and entries. `preamble`
// (optional) becomes comment lines at the top: where the entries came from.
std::string format_source_file(const SourceFile& file, std::string_view preamble = {});

// Writes `<dir>/<category id>.hml`, creating `dir`; refuses to overwrite a file.
Status write_source_file(const std::filesystem::path& dir, const SourceFile& file,
                         std::string_view preamble = {});

}  // namespace hm::library
