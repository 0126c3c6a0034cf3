#include "pdf/text.h"

#include <algorithm>
#include <utility>

// fontconfig (under pango) keeps its font caches for the life of the process and
// never frees them; LeakSanitizer reports them at exit in the ASan build of every
// program that draws a PDF (the daemon, the tests). The amount stays the same however
// many documents are rendered (--gtest_repeat), so it is not a leak per report. Here,
// in the object every PDF is drawn through, so each such program gets it.
#if defined(__SANITIZE_ADDRESS__)
// NOLINTNEXTLINE(bugprone-reserved-identifier,readability-identifier-naming): LSan's hook
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
#endif

namespace hm::pdf {
namespace {

// DejaVu Sans covers Latin (Welsh, Polish), Greek, Cyrillic and Arabic; fontconfig
// falls back to another sans for anything it lacks.
constexpr const char* kFontFamily = "DejaVu Sans, Sans";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

double from_pango(int units) { return static_cast<double>(units) / PANGO_SCALE; }

void add_attribute(PangoAttrList* list, PangoAttribute* attribute, size_t start, size_t end) {
  attribute->start_index = static_cast<guint>(start);
  attribute->end_index = static_cast<guint>(end);
  pango_attr_list_insert(list, attribute);  // takes ownership
}

}  // namespace

void set_colour(cairo_t* cr, Rgb colour) { cairo_set_source_rgb(cr, colour.r, colour.g, colour.b); }

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const char* p = text.data();
  const char* end = text.data() + text.size();
  while (p < end) {
    const char* valid_end = nullptr;
    // g_utf8_validate_len treats NUL as invalid, so embedded NULs are replaced too.
    g_utf8_validate_len(p, static_cast<gsize>(end - p), &valid_end);
    for (const char* q = p; q < valid_end; ++q) {
      const auto byte = static_cast<unsigned char>(*q);
      if ((byte < 0x20 && byte != '\n' && byte != '\t') || byte == 0x7F) {
        out += kReplacement;
      } else {
        out += *q;
      }
    }
    p = valid_end;
    if (p < end) {
      out += kReplacement;  // one per invalid byte
      ++p;
    }
  }
  return out;
}

TextBlock::TextBlock(cairo_t* cr, const std::vector<TextRun>& runs, const TextStyle& style,
                     double width_pt) {
  build(cr, runs, style, width_pt);
}

TextBlock::TextBlock(cairo_t* cr, std::string_view text, const TextStyle& style, double width_pt) {
  build(cr, {TextRun{std::string(text)}}, style, width_pt);
}

TextBlock::~TextBlock() {
  if (layout_ != nullptr) g_object_unref(layout_);
}

TextBlock::TextBlock(TextBlock&& other) noexcept
    : layout_(std::exchange(other.layout_, nullptr)),
      colour_(other.colour_),
      lines_(std::move(other.lines_)) {}

void TextBlock::build(cairo_t* cr, const std::vector<TextRun>& runs, const TextStyle& style,
                      double width_pt) {
  colour_ = style.colour;
  layout_ = pango_cairo_create_layout(cr);

  std::string text;
  PangoAttrList* attributes = pango_attr_list_new();
  for (const TextRun& run : runs) {
    const size_t start = text.size();
    text += valid_utf8(run.text);
    if (run.bold && !style.bold) {
      add_attribute(attributes, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, text.size());
    }
    if (run.italic && !style.italic) {
      add_attribute(attributes, pango_attr_style_new(PANGO_STYLE_ITALIC), start, text.size());
    }
  }
  pango_layout_set_text(layout_, text.data(), static_cast<int>(text.size()));
  pango_layout_set_attributes(layout_, attributes);
  pango_attr_list_unref(attributes);

  PangoFontDescription* font = pango_font_description_from_string(kFontFamily);
  pango_font_description_set_absolute_size(font, style.size_pt * PANGO_SCALE);
  pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(font, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_layout_set_font_description(layout_, font);
  pango_font_description_free(font);

  if (width_pt > 0) {
    pango_layout_set_width(layout_, static_cast<int>(width_pt * PANGO_SCALE));
    // Long words (URLs, hostnames) break inside rather than overflow the column.
    pango_layout_set_wrap(layout_, PANGO_WRAP_WORD_CHAR);
    if (style.one_line) {
      pango_layout_set_single_paragraph_mode(layout_, TRUE);
      pango_layout_set_ellipsize(layout_, PANGO_ELLIPSIZE_END);
    }
  }
  switch (style.align) {
    case Align::kLeft: pango_layout_set_alignment(layout_, PANGO_ALIGN_LEFT); break;
    case Align::kCentre: pango_layout_set_alignment(layout_, PANGO_ALIGN_CENTER); break;
    case Align::kRight: pango_layout_set_alignment(layout_, PANGO_ALIGN_RIGHT); break;
  }

  PangoLayoutIter* iter = pango_layout_get_iter(layout_);
  do {
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(iter, nullptr, &logical);
    lines_.push_back(LineBox{.top = from_pango(logical.y),
                             .bottom = from_pango(logical.y + logical.height),
                             .baseline = from_pango(pango_layout_iter_get_baseline(iter)),
                             .x = from_pango(logical.x)});
  } while (pango_layout_iter_next_line(iter) != FALSE);
  pango_layout_iter_free(iter);
}

double TextBlock::width() const {
  PangoRectangle logical;
  pango_layout_get_extents(layout_, nullptr, &logical);
  return from_pango(logical.width);
}

double TextBlock::height() const {
  PangoRectangle logical;
  pango_layout_get_extents(layout_, nullptr, &logical);
  return from_pango(logical.height);
}

void TextBlock::draw(cairo_t* cr, double x, double y) const {
  draw_lines(cr, x, y, 0, lines_.size());
}

void TextBlock::draw_lines(cairo_t* cr, double x, double y, size_t first, size_t last) const {
  last = std::min(last, lines_.size());
  if (first >= last) return;
  const double offset = y - lines_[first].top;
  set_colour(cr, colour_);
  for (size_t i = first; i < last; ++i) {
    PangoLayoutLine* line = pango_layout_get_line_readonly(layout_, static_cast<int>(i));
    PangoRectangle line_logical;
    pango_layout_line_get_extents(line, nullptr, &line_logical);
    cairo_move_to(cr, x + lines_[i].x - from_pango(line_logical.x), offset + lines_[i].baseline);
    pango_cairo_show_layout_line(cr, line);
  }
}

}  // namespace hm::pdf
