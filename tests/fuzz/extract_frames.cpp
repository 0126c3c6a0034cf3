// Writes the first frames of capture files as libFuzzer seeds for inspector_fuzz:
// one file per frame, its first byte 0 (the "in order" replay mode), then the frame.
//
// usage: extract_frames OUT_DIR MAX_FRAMES_PER_FILE FILE.pcap...
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "capture/pcap_file_source.h"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: extract_frames OUT_DIR MAX_FRAMES_PER_FILE FILE.pcap...\n";
    return 2;
  }
  const std::filesystem::path out_dir = argv[1];
  std::size_t max_frames = 0;
  const std::string_view max_text = argv[2];
  std::from_chars(max_text.data(), max_text.data() + max_text.size(), max_frames);
  std::filesystem::create_directories(out_dir);
  std::size_t written = 0;
  for (int i = 3; i < argc; ++i) {
    auto source = hm::capture::PcapFileSource::open(argv[i]);
    if (!source) {
      std::cerr << source.error() << '\n';
      continue;  // a seed set without one file is still a seed set
    }
    const std::string stem = std::filesystem::path(argv[i]).stem().string();
    for (std::size_t n = 0; n < max_frames; ++n) {
      auto packet = (*source)->next();
      if (!packet || !packet->has_value()) break;
      std::ofstream out(out_dir / (stem + "-" + std::to_string(n)), std::ios::binary);
      out.put(0);
      out.write(reinterpret_cast<const char*>((**packet).bytes.data()),
                static_cast<std::streamsize>((**packet).bytes.size()));
      ++written;
    }
  }
  std::cout << "extract_frames: " << written << " seeds in " << out_dir.string() << '\n';
  return 0;
}
