#pragma once

// Internal to pdf/: text through pango. Caller text is set with pango_layout_set_text()
// and styled with attribute lists, never parsed as markup.

#include <cairo.h>
#include <pango/pangocairo.h>

#include <string>
#include <string_view>
#include <vector>

#include "pdf/document.h"

namespace hm::pdf {

struct Rgb {
  double r = 0, g = 0, b = 0;
};

// Greyscale-first palette: every text colour has at least 7:1 contrast on white
// (WCAG AAA), and fills are light enough for black text on top.
inline constexpr Rgb kInk{0.10, 0.10, 0.10};
inline constexpr Rgb kMuted{0.33, 0.33, 0.33};  // #555: 7.5:1 on white
inline constexpr Rgb kRule{0.55, 0.55, 0.55};
inline constexpr Rgb kShade{0.93, 0.93, 0.93};
inline constexpr Rgb kAccent{0.12, 0.25, 0.42};  // dark blue: prints as near-black

void set_colour(cairo_t* cr, Rgb colour);

// `text` as valid UTF-8: each invalid byte becomes U+FFFD, NUL and other control
// characters (except '\n' and '\t') become U+FFFD too, so pango never sees bad input.
std::string valid_utf8(std::string_view text);

struct TextStyle {
  double size_pt = 10;
  bool bold = false;
  bool italic = false;
  Align align = Align::kLeft;
  Rgb colour = kInk;
  bool one_line = false;  // no wrapping: cut to the width with "…" (page header, legends)
};

// One line of a laid-out text, in points relative to the layout's top-left.
struct LineBox {
  double top = 0;
  double bottom = 0;
  double baseline = 0;
  double x = 0;  // where the line starts (alignment included)
};

// A wrapped block of text: a PangoLayout owned for its lifetime.
class TextBlock {
 public:
  // width_pt ≤ 0: no wrapping. Runs keep their own bold/italic over the style's.
  TextBlock(cairo_t* cr, const std::vector<TextRun>& runs, const TextStyle& style, double width_pt);
  TextBlock(cairo_t* cr, std::string_view text, const TextStyle& style, double width_pt);
  ~TextBlock();
  TextBlock(const TextBlock&) = delete;
  TextBlock& operator=(const TextBlock&) = delete;
  TextBlock(TextBlock&& other) noexcept;
  TextBlock& operator=(TextBlock&&) = delete;

  double width() const;   // the widest line's logical width
  double height() const;  // all lines
  const std::vector<LineBox>& lines() const { return lines_; }

  // Draws the whole block with its top-left at (x, y).
  void draw(cairo_t* cr, double x, double y) const;
  // Draws lines [first, last) so that line `first`'s top lands at y.
  void draw_lines(cairo_t* cr, double x, double y, size_t first, size_t last) const;

 private:
  void build(cairo_t* cr, const std::vector<TextRun>& runs, const TextStyle& style,
             double width_pt);

  PangoLayout* layout_ = nullptr;
  Rgb colour_;
  std::vector<LineBox> lines_;
};

// Points from millimetres (PDF user space is 1/72 inch).
constexpr double mm(double millimetres) { return millimetres * 72.0 / 25.4; }

}  // namespace hm::pdf
