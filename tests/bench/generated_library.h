#pragma once

#include <cstddef>

#include "match/library.h"

namespace hm::bench {

// The starter library plus generated entries up to `total`: 60% words, 30% phrases
// of two or three words, 10% domains, graded and spread over the categories. The
// words are made up (never English by design of the letter mix), so a grown library
// stresses the matcher without hitting ordinary text. Deterministic.
match::Library generated_library(match::Library library, std::size_t total);

// A smaller library: every k-th starter entry, so all categories and kinds stay.
match::Library sampled_library(match::Library library, std::size_t total);

}  // namespace hm::bench
