// Pagination: flows a Document's blocks down A4 pages, twice (count, then draw).

#include "pdf/layout.h"

#include <cairo-pdf.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <optional>
#include <string>
#include <system_error>

namespace hm::pdf {
namespace {

constexpr double kA4Width = 595.276;  // points: 210 × 297 mm
constexpr double kA4Height = 841.890;

// ---- the page: header, footer, breaks ------------------------------------------------

std::string page_label(int page, int total) {
  if (total <= 0) return "Page " + std::to_string(page);
  return "Page " + std::to_string(page) + " of " + std::to_string(total);
}

}  // namespace

Frame::Frame(cairo_t* cr, const Document& document, int total_pages)
    : cr_(cr),
      document_(document),
      total_pages_(total_pages),
      left_(mm(document.margin_mm)),
      width_(kA4Width - 2 * mm(document.margin_mm)),
      top_(mm(document.margin_mm)),
      bottom_(kA4Height - mm(document.margin_mm)),
      y_(top_) {}

void Frame::need(double points) {
  if (points > remaining() && !at_top()) new_page();
}

void Frame::new_page() {
  draw_page_furniture();
  cairo_show_page(cr_);
  ++page_;
  y_ = top_;
}

void Frame::finish() {
  draw_page_furniture();
  cairo_show_page(cr_);
}

void Frame::draw_page_furniture() {
  const TextStyle style{.size_pt = kSmallSize, .colour = kMuted, .one_line = true};
  const double half = width_ / 2 - 6;
  if (document_.running_header) {
    const double rule_y = top_ - 8;
    TextBlock title(cr_, document_.title, style, half);
    title.draw(cr_, left_, rule_y - 3 - title.height());
    TextStyle right = style;
    right.align = Align::kRight;
    TextBlock school(cr_, document_.school, right, half);
    school.draw(cr_, left_ + width_ - half, rule_y - 3 - school.height());
    set_colour(cr_, kRule);
    cairo_set_line_width(cr_, 0.5);
    cairo_move_to(cr_, left_, rule_y);
    cairo_line_to(cr_, left_ + width_, rule_y);
    cairo_stroke(cr_);
  }
  const double footer_y = bottom_ + 10;
  if (!document_.footer_note.empty()) {
    TextBlock note(cr_, document_.footer_note, style, width_ * 0.7);
    note.draw(cr_, left_, footer_y);
  }
  if (document_.page_numbers) {
    TextStyle right = style;
    right.align = Align::kRight;
    TextBlock number(cr_, page_label(page_, total_pages_), right, width_ * 0.3);
    number.draw(cr_, left_ + width_ * 0.7, footer_y);
  }
}

namespace {

// ---- text blocks ---------------------------------------------------------------------

// Draws `text` line by line from the frame's position, breaking pages between lines.
void flow_lines(Frame& frame, const TextBlock& text, double x) {
  const auto& lines = text.lines();
  size_t first = 0;
  while (first < lines.size()) {
    size_t last = first;
    while (last < lines.size() &&
           lines[last].bottom - lines[first].top <= frame.remaining() + 0.01) {
      ++last;
    }
    if (last == first) {
      if (frame.at_top()) {
        last = first + 1;  // a line taller than a page: draw it anyway
      } else {
        frame.new_page();
        continue;
      }
    }
    text.draw_lines(frame.cr(), x, frame.y(), first, last);
    frame.advance(lines[last - 1].bottom - lines[first].top);
    first = last;
  }
}

TextStyle heading_style(int level) {
  return level <= 1 ? TextStyle{.size_pt = 15, .bold = true, .colour = kAccent}
                    : TextStyle{.size_pt = 12, .bold = true, .colour = kInk};
}

TextStyle paragraph_style(const Paragraph& paragraph) {
  return paragraph.small
             ? TextStyle{.size_pt = kSmallSize + 0.5, .align = paragraph.align, .colour = kMuted}
             : TextStyle{.size_pt = kBodySize, .align = paragraph.align};
}

constexpr double kBulletIndent = 16;
constexpr double kNotePadding = 9;
constexpr double kAnswerLineGap = 24;  // ~8.5 mm: room for handwriting

double first_lines_height(const TextBlock& text, size_t count) {
  const auto& lines = text.lines();
  if (lines.empty()) return 0;
  const size_t last = std::min(count, lines.size()) - 1;
  return lines[last].bottom - lines[0].top;
}

double note_height(cairo_t* cr, double width, const Note& note) {
  const double inner = width - 2 * kNotePadding - 18;
  double height = 2 * kNotePadding;
  if (!note.title.empty()) {
    height += TextBlock(cr, note.title, TextStyle{.bold = true}, inner).height() + 3;
  }
  return height + TextBlock(cr, note.text, TextStyle{}, inner).height();
}

double answer_box_height(cairo_t* cr, double width, const AnswerBox& box) {
  const double inner = width - 2 * kNotePadding;
  double height = 16 + kNotePadding;  // the strip, then padding
  height += TextBlock(cr, box.label, TextStyle{.bold = true}, inner).height();
  if (!box.hint.empty()) {
    height += 2 + TextBlock(cr, box.hint, TextStyle{.size_pt = kSmallSize + 0.5}, inner).height();
  }
  return height + box.lines * kAnswerLineGap + kNotePadding;
}

void draw_note(Frame& frame, const Note& note) {
  cairo_t* cr = frame.cr();
  const double height = note_height(cr, frame.width(), note);
  frame.need(height);
  const double x = frame.left();
  const double y = frame.y();
  const bool warning = note.tone == Tone::kWarning;

  set_colour(cr, warning ? Rgb{1.0, 0.95, 0.85} : kShade);
  cairo_rectangle(cr, x, y, frame.width(), height);
  cairo_fill(cr);
  set_colour(cr, warning ? kInk : kRule);
  cairo_set_line_width(cr, warning ? 1.5 : 0.75);
  cairo_rectangle(cr, x, y, frame.width(), height);
  cairo_stroke(cr);
  // The marker says the tone without colour: a bar for a remark, "!" for a warning.
  if (warning) {
    set_colour(cr, kInk);
    cairo_arc(cr, x + kNotePadding + 6, y + kNotePadding + 7, 7, 0, 2 * M_PI);
    cairo_fill(cr);
    TextBlock mark(cr, "!", TextStyle{.bold = true, .colour = {1, 1, 1}}, 0);
    mark.draw(cr, x + kNotePadding + 6 - mark.width() / 2,
              y + kNotePadding + 7 - mark.height() / 2);
  } else {
    set_colour(cr, kAccent);
    cairo_rectangle(cr, x, y, 4, height);
    cairo_fill(cr);
  }

  const double text_x = x + kNotePadding + 18;
  const double inner = frame.width() - 2 * kNotePadding - 18;
  double text_y = y + kNotePadding;
  if (!note.title.empty()) {
    TextBlock title(cr, note.title, TextStyle{.bold = true}, inner);
    title.draw(cr, text_x, text_y);
    text_y += title.height() + 3;
  }
  TextBlock(cr, note.text, TextStyle{}, inner).draw(cr, text_x, text_y);
  frame.advance(height);
}

void draw_answer_box(Frame& frame, const AnswerBox& box) {
  cairo_t* cr = frame.cr();
  const double height = answer_box_height(cr, frame.width(), box);
  frame.need(height);
  const double x = frame.left();
  const double y = frame.y();
  const double inner = frame.width() - 2 * kNotePadding;

  set_colour(cr, kAccent);
  cairo_rectangle(cr, x, y, frame.width(), 16);
  cairo_fill(cr);
  TextBlock strip(cr, "To be answered by the school",
                  TextStyle{.size_pt = kSmallSize + 0.5, .bold = true, .colour = {1, 1, 1}}, inner);
  strip.draw(cr, x + kNotePadding, y + (16 - strip.height()) / 2);

  set_colour(cr, kInk);
  cairo_set_line_width(cr, 1.25);
  cairo_rectangle(cr, x, y, frame.width(), height);
  cairo_stroke(cr);

  double text_y = y + 16 + kNotePadding;
  TextBlock label(cr, box.label, TextStyle{.bold = true}, inner);
  label.draw(cr, x + kNotePadding, text_y);
  text_y += label.height();
  if (!box.hint.empty()) {
    TextBlock hint(cr, box.hint, TextStyle{.size_pt = kSmallSize + 0.5, .colour = kMuted}, inner);
    hint.draw(cr, x + kNotePadding, text_y + 2);
    text_y += 2 + hint.height();
  }
  set_colour(cr, kRule);
  cairo_set_line_width(cr, 0.6);
  for (int i = 1; i <= box.lines; ++i) {
    const double line_y = text_y + i * kAnswerLineGap;
    cairo_move_to(cr, x + kNotePadding, line_y);
    cairo_line_to(cr, x + frame.width() - kNotePadding, line_y);
  }
  cairo_stroke(cr);
  frame.advance(height);
}

void draw_bullets(Frame& frame, const BulletList& list) {
  cairo_t* cr = frame.cr();
  auto marker_of = [&list](size_t i) {
    return list.numbered ? std::to_string(i + 1) + "." : std::string("\u2022");
  };
  // Numbers past 9 are wider than the bullet's indent: make room for the widest.
  const double widest_marker =
      list.items.empty()
          ? 0
          : TextBlock(cr, marker_of(list.items.size() - 1), TextStyle{.colour = kMuted}, 0).width();
  const double indent = std::max(kBulletIndent, 3 + widest_marker + 4);
  for (size_t i = 0; i < list.items.size(); ++i) {
    TextBlock item(cr, list.items[i], TextStyle{}, frame.width() - indent);
    frame.need(first_lines_height(item, 1));
    TextBlock(cr, marker_of(i), TextStyle{.colour = kMuted}, 0)
        .draw(cr, frame.left() + 3, frame.y());
    flow_lines(frame, item, frame.left() + indent);
    if (i + 1 < list.items.size()) frame.advance(2);
  }
}

// ---- keeping headings with what follows ----------------------------------------------

// The height the start of `block` needs on the page so a heading isn't left alone.
double start_height(Frame& frame, const Block& block) {
  cairo_t* cr = frame.cr();
  const double width = frame.width();
  return std::visit(
      Overloaded{
          [&](const Paragraph& p) {
            return first_lines_height(TextBlock(cr, p.runs, paragraph_style(p), width), 2);
          },
          [&](const BulletList& l) {
            if (l.items.empty()) return 0.0;
            return first_lines_height(TextBlock(cr, l.items[0], TextStyle{}, width), 2);
          },
          [&](const KeyValueTable&) { return 2 * 16.0; },
          [&](const Table& t) { return table_start_height(cr, width, t); },
          [&](const Note& n) { return note_height(cr, width, n); },
          [&](const AnswerBox& a) { return answer_box_height(cr, width, a); },
          [&](const BarChart& c) { return chart_height(cr, width, c); },
          [&](const LineChart& c) { return chart_height(cr, width, c); },
          [&](const BigText& b) {
            return first_lines_height(
                TextBlock(cr, b.text, TextStyle{.size_pt = b.size_pt, .bold = b.bold}, width), 1);
          },
          [](const auto&) { return 0.0; },
      },
      block);
}

struct Outline {
  int level1 = CAIRO_PDF_OUTLINE_ROOT;
};

void add_outline(Frame& frame, Outline& outline, const std::string& text, int level, bool drawing) {
  if (!drawing || text.empty()) return;
  const std::string link = "page=" + std::to_string(frame.page()) + " pos=[" +
                           std::to_string(frame.left()) + " " + std::to_string(frame.y()) + "]";
  const int parent = level <= 1 ? CAIRO_PDF_OUTLINE_ROOT : outline.level1;
  const int id =
      cairo_pdf_surface_add_outline(cairo_get_target(frame.cr()), parent, valid_utf8(text).c_str(),
                                    link.c_str(), CAIRO_PDF_OUTLINE_FLAG_OPEN);
  if (level <= 1) outline.level1 = id;
}

void draw_blocks(Frame& frame, const Document& document, bool drawing) {
  cairo_t* cr = frame.cr();
  const double width = frame.width();
  Outline outline;
  const auto& blocks = document.blocks;
  for (size_t i = 0; i < blocks.size(); ++i) {
    const Block& block = blocks[i];
    std::visit(
        Overloaded{
            [&](const Title& title) {
              TextBlock text(cr, title.text, TextStyle{.size_pt = 22, .bold = true}, width);
              std::optional<TextBlock> subtitle;
              double height = text.height();
              if (!title.subtitle.empty()) {
                subtitle.emplace(cr, title.subtitle, TextStyle{.size_pt = 12, .colour = kMuted},
                                 width);
                height += 3 + subtitle->height();
              }
              frame.need(height);
              add_outline(frame, outline, title.text, 1, drawing);
              text.draw(cr, frame.left(), frame.y());
              if (subtitle) subtitle->draw(cr, frame.left(), frame.y() + text.height() + 3);
              frame.advance(height + 6);
            },
            [&](const Heading& heading) {
              TextBlock text(cr, heading.text, heading_style(heading.level), width);
              const double above = frame.at_top() ? 0 : (heading.level <= 1 ? 10 : 5);
              double following = 0;
              if (i + 1 < blocks.size()) {
                following = std::min(start_height(frame, blocks[i + 1]), frame.column_height() / 2);
              }
              frame.need(above + text.height() + 4 + following);
              if (!frame.at_top()) frame.advance(above);
              add_outline(frame, outline, heading.text, heading.level, drawing);
              text.draw(cr, frame.left(), frame.y());
              frame.advance(text.height());
              if (heading.level <= 1) {
                set_colour(cr, kRule);
                cairo_set_line_width(cr, 0.75);
                cairo_move_to(cr, frame.left(), frame.y() + 2);
                cairo_line_to(cr, frame.left() + width, frame.y() + 2);
                cairo_stroke(cr);
              }
              frame.advance(4 - kBlockGap + 2);  // a heading sits close to its section
            },
            [&](const Paragraph& paragraph) {
              flow_lines(frame, TextBlock(cr, paragraph.runs, paragraph_style(paragraph), width),
                         frame.left());
            },
            [&](const BulletList& list) { draw_bullets(frame, list); },
            [&](const KeyValueTable& table) { draw_key_value_table(frame, table); },
            [&](const Table& table) { draw_table(frame, table); },
            [&](const Note& note) { draw_note(frame, note); },
            [&](const AnswerBox& box) { draw_answer_box(frame, box); },
            [&](const BarChart& chart) { draw_bar_chart(frame, chart); },
            [&](const LineChart& chart) { draw_line_chart(frame, chart); },
            [&](const Spacer& spacer) {
              if (mm(spacer.height_mm) > frame.remaining()) {
                frame.new_page();
              } else {
                frame.advance(mm(spacer.height_mm) - kBlockGap);
              }
            },
            [&](const PageBreak&) {
              if (!frame.at_top()) frame.new_page();
              frame.advance(-kBlockGap);
            },
            [&](const BigText& big) {
              flow_lines(
                  frame,
                  TextBlock(
                      cr, big.text,
                      TextStyle{.size_pt = big.size_pt, .bold = big.bold, .align = Align::kCentre},
                      width),
                  frame.left());
            },
        },
        block);
    frame.advance(kBlockGap);
  }
}

// ---- the two passes ------------------------------------------------------------------

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t discard(void* /*closure*/, const unsigned char* /*data*/, unsigned int /*length*/) {
  return CAIRO_STATUS_SUCCESS;
}

void set_metadata(cairo_surface_t* surface, const Document& document) {
  auto set = [&](cairo_pdf_metadata_t field, const std::string& value) {
    if (!value.empty()) cairo_pdf_surface_set_metadata(surface, field, valid_utf8(value).c_str());
  };
  set(CAIRO_PDF_METADATA_TITLE, document.title);
  set(CAIRO_PDF_METADATA_AUTHOR, document.school);
  set(CAIRO_PDF_METADATA_SUBJECT, document.subject);
  set(CAIRO_PDF_METADATA_CREATOR, "hallmonitor");
  if (document.created) {
    const std::time_t seconds = document.created->time_since_epoch().count();
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char iso[32];
    std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &utc);
    set(CAIRO_PDF_METADATA_CREATE_DATE, iso);
  }
}

// One pass over the document; the number of pages, or cairo's complaint.
Result<int> run_pass(const Document& document, std::string* out, int total_pages) {
  cairo_surface_t* surface =
      out != nullptr ? cairo_pdf_surface_create_for_stream(append, out, kA4Width, kA4Height)
                     : cairo_pdf_surface_create_for_stream(discard, nullptr, kA4Width, kA4Height);
  if (out != nullptr) set_metadata(surface, document);
  cairo_t* cr = cairo_create(surface);
  Frame frame(cr, document, total_pages);
  draw_blocks(frame, document, out != nullptr);
  frame.finish();
  const int pages = frame.page();
  const cairo_status_t drawn = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t written = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  for (cairo_status_t status : {drawn, written}) {
    if (status != CAIRO_STATUS_SUCCESS) {
      return error("PDF document \"" + valid_utf8(document.title) +
                   "\" could not be drawn: cairo: " + cairo_status_to_string(status));
    }
  }
  return pages;
}

}  // namespace

Result<int> count_pages(const Document& document) {
  if (Status checked = check(document); !checked) return error(checked.error());
  return run_pass(document, nullptr, 0);
}

Result<std::string> render_pdf(const Document& document) {
  Result<int> pages = count_pages(document);
  if (!pages) return error(pages.error());
  std::string pdf;
  Result<int> drawn = run_pass(document, &pdf, *pages);
  if (!drawn) return error(drawn.error());
  return pdf;
}

Status write_pdf(const Document& document, const std::filesystem::path& path) {
  Result<std::string> pdf = render_pdf(document);
  if (!pdf) return error(pdf.error());
  std::filesystem::path temporary = path;
  temporary += ".partial";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file.write(pdf->data(), static_cast<std::streamsize>(pdf->size()));
    file.close();
    if (!file) {
      return error("Could not write the PDF to " + temporary.string() +
                   ": check the folder exists and there is space on the disk");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    const std::string why = ec.message();
    std::filesystem::remove(temporary, ec);
    return error("Could not move the PDF into place at " + path.string() + ": " + why);
  }
  return Ok{};
}

}  // namespace hm::pdf
