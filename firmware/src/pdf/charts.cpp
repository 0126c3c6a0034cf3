// Charts as vectors: grouped bar charts (vertical or horizontal) and line charts.
// Series are told apart by pattern, dash and marker as well as shade, so they read in
// greyscale print; bars carry their values.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "pdf/layout.h"

namespace hm::pdf {
namespace {

constexpr double kLabelSize = 8;
constexpr double kValueSize = 7.5;
constexpr double kSwatch = 10;
constexpr double kBarRow = 10;  // a horizontal bar's thickness

struct Axis {
  double top = 1;
  double step = 1;
  int ticks() const { return static_cast<int>(std::lround(top / step)); }  // above 0
};

// Ticks at 1, 2 or 5 × 10^k, about five of them; whole steps when the data is counts.
Axis nice_axis(double max_value, bool whole) {
  if (!(max_value > 0)) return {1, whole ? 1 : 0.2};
  const double rough = max_value / 5;
  const double magnitude = std::pow(10, std::floor(std::log10(rough)));
  double step = magnitude;
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * magnitude;
    if (step >= rough) break;
  }
  if (whole) step = std::max(1.0, std::round(step));
  return {std::ceil(max_value / step - 1e-9) * step, step};
}

// Whole numbers as they are; others to two decimals without trailing zeros (2.5, 0.25).
std::string format_value(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  std::string out = text;
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out == "-0" ? "0" : out;
}

struct Scale {
  double max = 0;
  bool whole = true;
};

Scale scale_of(const std::vector<Series>& series) {
  Scale scale;
  for (const Series& s : series) {
    for (double value : s.values) {
      scale.max = std::max(scale.max, value);
      if (std::abs(value - std::round(value)) > 1e-9) scale.whole = false;
    }
  }
  return scale;
}

// Series 0 solid dark, 1 light with diagonal hatching, 2 white with cross-hatching,
// 3 mid grey, then hatchings at other angles.
void fill_series(cairo_t* cr, size_t index, double x, double y, double w, double h) {
  if (w <= 0 || h <= 0) return;
  const Rgb bases[] = {kAccent, {0.80, 0.82, 0.86}, {1, 1, 1}, {0.55, 0.55, 0.55}};
  set_colour(cr, bases[index % 4]);
  cairo_rectangle(cr, x, y, w, h);
  cairo_fill(cr);
  if (index % 4 == 1 || index % 4 == 2 || index >= 4) {
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    set_colour(cr, kInk);
    cairo_set_line_width(cr, 0.6);
    const double gap = 4;
    const bool cross = index % 4 == 2;
    const int strokes = static_cast<int>((w + 2 * h) / gap) + 1;
    for (int i = 0; i < strokes; ++i) {
      const double d = -h + i * gap;
      cairo_move_to(cr, x + d, y + h);
      cairo_line_to(cr, x + d + h, y);
      if (cross || index >= 4) {
        cairo_move_to(cr, x + d, y);
        cairo_line_to(cr, x + d + h, y + h);
      }
    }
    cairo_stroke(cr);
    cairo_restore(cr);
  }
  set_colour(cr, kInk);
  cairo_set_line_width(cr, 0.5);
  cairo_rectangle(cr, x, y, w, h);
  cairo_stroke(cr);
}

const double kDashes[][4] = {{0, 0, 0, 0}, {6, 3, 0, 0}, {2, 2, 0, 0}, {8, 3, 2, 3}};
const Rgb kLineColours[] = {kAccent, kInk, {0.40, 0.40, 0.40}, {0.25, 0.25, 0.25}};

void set_line_style(cairo_t* cr, size_t index) {
  set_colour(cr, kLineColours[index % 4]);
  cairo_set_line_width(cr, 1.6);
  const double* dash = kDashes[index % 4];
  const int count = dash[0] == 0 ? 0 : (dash[2] == 0 ? 2 : 4);
  cairo_set_dash(cr, dash, count, 0);
}

// Circle, square, triangle, diamond.
void draw_marker(cairo_t* cr, size_t index, double x, double y) {
  set_colour(cr, kLineColours[index % 4]);
  const double r = 3;
  switch (index % 4) {
    case 0: cairo_arc(cr, x, y, r, 0, 2 * M_PI); break;
    case 1: cairo_rectangle(cr, x - r, y - r, 2 * r, 2 * r); break;
    case 2:
      cairo_move_to(cr, x, y - r - 0.5);
      cairo_line_to(cr, x + r, y + r);
      cairo_line_to(cr, x - r, y + r);
      cairo_close_path(cr);
      break;
    default:
      cairo_move_to(cr, x, y - r - 1);
      cairo_line_to(cr, x + r + 1, y);
      cairo_line_to(cr, x, y + r + 1);
      cairo_line_to(cr, x - r - 1, y);
      cairo_close_path(cr);
  }
  cairo_fill(cr);
}

// The legend's items flow left to right and wrap; returns its height. Draws only when
// `draw` (the height is needed before anything is placed).
double legend(cairo_t* cr, const std::vector<Series>& series, bool lines, double x, double y,
              double width, bool draw) {
  if (series.empty()) return 0;
  const TextStyle style{.size_pt = kLabelSize, .one_line = true};
  double cursor = 0;
  double row = 0;
  const double row_height = 13;
  for (size_t i = 0; i < series.size(); ++i) {
    TextBlock name(cr, series[i].name, style, width / 2);
    const double item = kSwatch + 4 + name.width() + 14;
    if (cursor > 0 && cursor + item > width) {
      cursor = 0;
      row += row_height;
    }
    if (draw) {
      const double sx = x + cursor;
      const double sy = y + row + 1.5;
      if (lines) {
        cairo_save(cr);
        set_line_style(cr, i);
        cairo_move_to(cr, sx - 4, sy + kSwatch / 2);
        cairo_line_to(cr, sx + kSwatch + 4, sy + kSwatch / 2);
        cairo_stroke(cr);
        cairo_restore(cr);
        draw_marker(cr, i, sx + kSwatch / 2, sy + kSwatch / 2);
      } else {
        fill_series(cr, i, sx, sy, kSwatch, kSwatch);
      }
      name.draw(cr, sx + kSwatch + 4 + (lines ? 4 : 0), y + row);
    }
    cursor += item + (lines ? 4 : 0);
  }
  return row + row_height;
}

// Title, legend and axis label above a chart; their total height. Draws when `draw`.
double chart_head(Frame* frame, cairo_t* cr, double width, const std::string& title,
                  const std::vector<Series>& series, const std::string& value_label, bool lines,
                  double x, double y) {
  const bool draw = frame != nullptr;
  double height = 0;
  if (!title.empty()) {
    TextBlock text(cr, title, TextStyle{.size_pt = 10.5, .bold = true}, width);
    if (draw) text.draw(cr, x, y);
    height += text.height() + 4;
  }
  height += legend(cr, series, lines, x, y + height, width, draw) + 4;
  if (!value_label.empty()) {
    TextBlock text(cr, value_label, TextStyle{.size_pt = kLabelSize, .colour = kMuted}, width);
    if (draw) text.draw(cr, x, y + height);
    height += text.height() + 2;
  }
  return height;
}

double tick_label_width(cairo_t* cr, const Axis& axis) {
  double widest = 0;
  for (int step = 0; step <= axis.ticks(); ++step) {
    const double v = step * axis.step;
    widest = std::max(widest,
                      TextBlock(cr, format_value(v), TextStyle{.size_pt = kLabelSize}, 0).width());
  }
  return widest;
}

std::vector<TextBlock> category_labels(cairo_t* cr, const std::vector<std::string>& categories,
                                       double width, Align align) {
  std::vector<TextBlock> labels;
  labels.reserve(categories.size());
  for (const std::string& category : categories) {
    labels.emplace_back(cr, category, TextStyle{.size_pt = kLabelSize, .align = align}, width);
  }
  return labels;
}

double tallest(const std::vector<TextBlock>& blocks) {
  double height = 0;
  for (const TextBlock& block : blocks) height = std::max(height, block.height());
  return height;
}

void grid_line(cairo_t* cr, double x0, double y0, double x1, double y1) {
  set_colour(cr, {0.82, 0.82, 0.82});
  cairo_set_line_width(cr, 0.4);
  cairo_move_to(cr, x0, y0);
  cairo_line_to(cr, x1, y1);
  cairo_stroke(cr);
}

void axis_line(cairo_t* cr, double x0, double y0, double x1, double y1) {
  set_colour(cr, kInk);
  cairo_set_line_width(cr, 0.8);
  cairo_move_to(cr, x0, y0);
  cairo_line_to(cr, x1, y1);
  cairo_stroke(cr);
}

// ---- vertical bars and lines share the same frame: value axis left, categories below --

struct ColumnPlot {
  Axis axis;
  double axis_width = 0;  // tick labels and their gap
  double slot = 0;        // width per category
  double plot_height = 0;
  double head = 0;
  double labels = 0;
  double total() const { return head + 10 + plot_height + 4 + labels; }
};

ColumnPlot plan_columns(cairo_t* cr, double width, const std::vector<std::string>& categories,
                        const std::vector<Series>& series, double height_mm, double head) {
  ColumnPlot plan;
  const Scale scale = scale_of(series);
  plan.axis = nice_axis(scale.max, scale.whole);
  plan.axis_width = tick_label_width(cr, plan.axis) + 6;
  plan.slot =
      (width - plan.axis_width) / static_cast<double>(std::max<size_t>(1, categories.size()));
  plan.plot_height = mm(height_mm);
  plan.head = head;
  plan.labels = tallest(category_labels(cr, categories, plan.slot - 4, Align::kCentre));
  return plan;
}

// Gridlines, tick labels, axes and category labels; the plot's origin is (x0, base).
void draw_column_frame(cairo_t* cr, const ColumnPlot& plan,
                       const std::vector<std::string>& categories, double x0, double base,
                       double width) {
  const TextStyle tick{.size_pt = kLabelSize, .align = Align::kRight, .colour = kMuted};
  for (int step = 0; step <= plan.axis.ticks(); ++step) {
    const double v = step * plan.axis.step;
    const double y = base - v / plan.axis.top * plan.plot_height;
    if (v > 0) grid_line(cr, x0, y, x0 + width - plan.axis_width, y);
    TextBlock label(cr, format_value(v), tick, plan.axis_width - 6);
    label.draw(cr, x0 - plan.axis_width, y - label.height() / 2);
  }
  axis_line(cr, x0, base - plan.plot_height - 4, x0, base);
  axis_line(cr, x0, base, x0 + width - plan.axis_width, base);
  const auto labels = category_labels(cr, categories, plan.slot - 4, Align::kCentre);
  for (size_t c = 0; c < labels.size(); ++c) {
    labels[c].draw(cr, x0 + static_cast<double>(c) * plan.slot + 2, base + 4);
  }
}

double bar_head(cairo_t* cr, double width, const BarChart& chart) {
  return chart_head(nullptr, cr, width, chart.title, chart.series, chart.value_label, false, 0, 0);
}

double horizontal_label_width(double width) { return width * 0.3; }

double horizontal_row_height(cairo_t* cr, double width, const BarChart& chart,
                             const std::string& category) {
  TextBlock label(cr, category, TextStyle{.size_pt = kLabelSize, .align = Align::kRight},
                  horizontal_label_width(width) - 8);
  const double bars = static_cast<double>(std::max<size_t>(1, chart.series.size())) * kBarRow;
  return std::max(label.height(), bars) + 8;
}

double horizontal_height(cairo_t* cr, double width, const BarChart& chart) {
  double rows = 0;
  for (const std::string& category : chart.categories) {
    rows += horizontal_row_height(cr, width, chart, category);
  }
  return bar_head(cr, width, chart) + rows + 4 + 12;
}

void draw_horizontal_bars(Frame& frame, const BarChart& chart) {
  cairo_t* cr = frame.cr();
  const double width = frame.width();
  frame.need(horizontal_height(cr, width, chart));
  const double head = chart_head(&frame, cr, width, chart.title, chart.series, chart.value_label,
                                 false, frame.left(), frame.y());
  const Scale scale = scale_of(chart.series);
  const Axis axis = nice_axis(scale.max, scale.whole);
  const double x0 = frame.left() + horizontal_label_width(width);
  const double plot_width = width - horizontal_label_width(width) - 24;  // room for values
  const double top = frame.y() + head;

  double rows = 0;
  for (const std::string& category : chart.categories) {
    rows += horizontal_row_height(cr, width, chart, category);
  }
  const double base = top + rows;
  const TextStyle tick{.size_pt = kLabelSize, .align = Align::kCentre, .colour = kMuted};
  for (int step = 0; step <= axis.ticks(); ++step) {
    const double v = step * axis.step;
    const double x = x0 + v / axis.top * plot_width;
    if (v > 0) grid_line(cr, x, top, x, base);
    TextBlock label(cr, format_value(v), tick, 40);
    label.draw(cr, x - 20, base + 4);
  }

  double y = top;
  for (size_t c = 0; c < chart.categories.size(); ++c) {
    const double row = horizontal_row_height(cr, width, chart, chart.categories[c]);
    TextBlock label(cr, chart.categories[c],
                    TextStyle{.size_pt = kLabelSize, .align = Align::kRight},
                    horizontal_label_width(width) - 8);
    label.draw(cr, frame.left(), y + (row - label.height()) / 2);
    const double bars_top = y + (row - static_cast<double>(chart.series.size()) * kBarRow) / 2;
    for (size_t s = 0; s < chart.series.size(); ++s) {
      const double value = chart.series[s].values[c];
      const double length = value / axis.top * plot_width;
      const double bar_y = bars_top + static_cast<double>(s) * kBarRow + 1;
      fill_series(cr, s, x0, bar_y, length, kBarRow - 2);
      if (chart.show_values) {
        TextBlock text(cr, format_value(value), TextStyle{.size_pt = kValueSize}, 0);
        text.draw(cr, x0 + length + 3, bar_y + (kBarRow - 2 - text.height()) / 2);
      }
    }
    y += row;
  }
  axis_line(cr, x0, top, x0, base);
  axis_line(cr, x0, base, x0 + plot_width, base);
  frame.advance(head + rows + 4 + 12);
}

}  // namespace

double chart_height(cairo_t* cr, double width, const BarChart& chart) {
  if (chart.horizontal) return horizontal_height(cr, width, chart);
  return plan_columns(cr, width, chart.categories, chart.series, chart.height_mm,
                      bar_head(cr, width, chart))
      .total();
}

double chart_height(cairo_t* cr, double width, const LineChart& chart) {
  const double head =
      chart_head(nullptr, cr, width, chart.title, chart.series, chart.value_label, true, 0, 0);
  return plan_columns(cr, width, chart.categories, chart.series, chart.height_mm, head).total();
}

void draw_bar_chart(Frame& frame, const BarChart& chart) {
  if (chart.horizontal) {
    draw_horizontal_bars(frame, chart);
    return;
  }
  cairo_t* cr = frame.cr();
  const double width = frame.width();
  const ColumnPlot plan = plan_columns(cr, width, chart.categories, chart.series, chart.height_mm,
                                       bar_head(cr, width, chart));
  frame.need(plan.total());
  chart_head(&frame, cr, width, chart.title, chart.series, chart.value_label, false, frame.left(),
             frame.y());
  const double x0 = frame.left() + plan.axis_width;
  const double base = frame.y() + plan.head + 10 + plan.plot_height;
  draw_column_frame(cr, plan, chart.categories, x0, base, width);

  const auto count = static_cast<double>(std::max<size_t>(1, chart.series.size()));
  const double group = plan.slot * 0.78;
  const double bar = group / count;
  for (size_t c = 0; c < chart.categories.size(); ++c) {
    const double group_x = x0 + static_cast<double>(c) * plan.slot + (plan.slot - group) / 2;
    for (size_t s = 0; s < chart.series.size(); ++s) {
      const double value = chart.series[s].values[c];
      const double height = value / plan.axis.top * plan.plot_height;
      const double x = group_x + static_cast<double>(s) * bar;
      fill_series(cr, s, x + 0.5, base - height, bar - 1, height);
      if (chart.show_values) {
        TextBlock text(cr, format_value(value),
                       TextStyle{.size_pt = kValueSize, .align = Align::kCentre}, bar + 8);
        text.draw(cr, x - 4, base - height - text.height() - 1);
      }
    }
  }
  frame.advance(plan.total());
}

void draw_line_chart(Frame& frame, const LineChart& chart) {
  cairo_t* cr = frame.cr();
  const double width = frame.width();
  const double head =
      chart_head(nullptr, cr, width, chart.title, chart.series, chart.value_label, true, 0, 0);
  const ColumnPlot plan =
      plan_columns(cr, width, chart.categories, chart.series, chart.height_mm, head);
  frame.need(plan.total());
  chart_head(&frame, cr, width, chart.title, chart.series, chart.value_label, true, frame.left(),
             frame.y());
  const double x0 = frame.left() + plan.axis_width;
  const double base = frame.y() + plan.head + 10 + plan.plot_height;
  draw_column_frame(cr, plan, chart.categories, x0, base, width);

  for (size_t s = 0; s < chart.series.size(); ++s) {
    const auto point = [&](size_t c) {
      return std::pair{x0 + (static_cast<double>(c) + 0.5) * plan.slot,
                       base - chart.series[s].values[c] / plan.axis.top * plan.plot_height};
    };
    cairo_save(cr);
    set_line_style(cr, s);
    for (size_t c = 0; c < chart.categories.size(); ++c) {
      const auto [x, y] = point(c);
      c == 0 ? cairo_move_to(cr, x, y) : cairo_line_to(cr, x, y);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
    for (size_t c = 0; c < chart.categories.size(); ++c) {
      const auto [x, y] = point(c);
      draw_marker(cr, s, x, y);
    }
  }
  frame.advance(plan.total());
}

}  // namespace hm::pdf
