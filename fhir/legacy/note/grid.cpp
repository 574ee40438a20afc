#include "legacy/note/reader.hpp"

namespace mfr::legacy::note {

// ---------------------------------------------------------------- grids
// A table of levels by side: a header line with a left and a right column ("Level  L  R",
// "Niveau  Gauche  Droite", "Segment | links | rechts | Schmerz"), then one row per level or
// region with what was found on each side ("C7  légère  RAS", "| T2-T6 | 0 | 0 | - |"). Cells
// are separated by two spaces or more, a tab or '|'; a row's cell belongs to the header column
// it starts nearest to. A bare number in a side cell is a grade (0-3); in a pain column a
// score (0-10), with its side when one is written ("R 6").

// Cells of the line [i, end): first token of each cell.
void Reader::cells_of(std::size_t i, std::size_t end, std::vector<Cell>& cells) const {
  cells.clear();
  const std::size_t line_start = line_start_offset(i);
  int col = 0;
  std::size_t pos = line_start;
  auto advance = [&](std::size_t to) {
    for (; pos < to; ++pos) {
      const auto c = static_cast<unsigned char>(text_[pos]);
      if (c == '\t') col = (col / 8 + 1) * 8;
      else if ((c & 0xC0) != 0x80) ++col;
    }
  };
  for (std::size_t j = i; j < end; ++j) {
    const Token& t = toks_[j];
    if (is_punct(j, '|')) {
      if (!cells.empty()) cells.back().closed = true;
      continue;
    }
    const std::size_t gap_from = j > i ? tok_end(j - 1) : line_start;
    std::string_view gap = text_.substr(gap_from, t.offset - gap_from);
    const bool new_cell = cells.empty() || cells.back().closed || gap.size() >= 2 || gap.find('\t') != std::string_view::npos;
    advance(t.offset);
    if (new_cell) cells.push_back({j, j + 1, col, false});
    else cells.back().last = j + 1;
  }
}

std::size_t Reader::line_start_offset(std::size_t i) const {
  std::size_t off = toks_[i].offset;
  while (off > 0 && text_[off - 1] != '\n' && text_[off - 1] != '\r') --off;
  return off;
}

// A grid header: one cell that is a left side, one that is a right side, perhaps a pain
// column and a label, and nothing else.
bool Reader::grid_header(std::size_t i, std::size_t end) {
  // a header is short and holds two side words: most lines are neither, so look first
  if (end - i > 24) return false;
  int sides = 0;
  for (std::size_t j = i; j < end; ++j) {
    char buf[32];
    if (is_word(j) && lex(lower(j, buf)).kind == Lex::Side) ++sides;
  }
  if (sides < 2) return false;
  cells_of(i, end, cells_);
  if (cells_.size() < 2 || cells_.size() > 6) return false;
  Grid g;
  for (const Cell& c : cells_) {
    char buf[32];
    LexEntry e;
    if (c.last - c.first == 1 && is_word(c.first)) e = lex(lower(c.first, buf));
    if (e.kind == Lex::Side && e.value == 1 && g.left < 0) g.left = c.col;
    else if (e.kind == Lex::Side && e.value == 2 && g.right < 0) g.right = c.col;
    else if (is_word(c.first) && lex(lower(c.first, buf)).kind == Lex::PainWord) g.pain = c.col;
    else if (&c != &cells_.front()) return false;
  }
  if (g.left < 0 || g.right < 0) return false;
  g.active = true;
  grid_ = g;
  return true;
}

// One grid row; false when the line is not a row (the grid ends).
bool Reader::grid_row(std::size_t i, std::size_t end) {
  cells_of(i, end, cells_);
  bool any_text = false;
  for (std::size_t j = i; j < end; ++j) any_text = any_text || is_word(j) || is_number(j);
  if (!any_text) return true;  // a rule line: "+------+", "|---|", "-----"
  if (cells_.size() < 2) return false;
  auto nearest = [&](int col) {
    int best = -1, dist = 1 << 30;
    for (int c : {grid_.left, grid_.right, grid_.pain}) {
      if (c < 0) continue;
      if (std::abs(c - col) < dist) { dist = std::abs(c - col); best = c; }
    }
    return best;
  };
  const std::size_t before = cur_.items.size();
  for (std::size_t j = cells_.front().first; j < cells_.front().last;) j = scan_token(j);
  bool site = false;
  for (std::size_t k = before; k < cur_.items.size(); ++k) site = site || cur_.items[k].kind == ItemKind::Site;
  if (!site) {
    cur_.items.resize(before);
    return false;
  }
  for (std::size_t c = 1; c < cells_.size(); ++c) {
    const Cell& cell = cells_[c];
    const int column = nearest(cell.col);
    if (column < 0) continue;
    push_simple(ItemKind::Comma, cell.first, cell.first);
    const bool pain_column = column == grid_.pain;
    if (!pain_column) {
      Item side;
      side.kind = ItemKind::Side;
      side.side = column == grid_.left ? SideMark::Left : SideMark::Right;
      side.begin = toks_[cell.first].offset;
      side.end = side.begin;
      cur_.items.push_back(side);
    }
    if (!pain_column && cell.last == cell.first + 1 && is_dash(cell.first)) {
      Attrs a;
      a.grade = RestrictionGrade::None;  // "-": nothing found on that side
      push_attr(toks_[cell.first].offset, tok_end(cell.first), a);
      continue;
    }
    for (std::size_t j = cell.first; j < cell.last;) {
      if (is_number(j) && (j + 1 == cell.last || !is_punct(j + 1, '/'))) {
        const int v = number_value(j);
        Attrs a;
        if (pain_column && v >= 0 && v <= 10) a.pain = v;
        else if (!pain_column && v >= 0 && v <= 3) a.grade = static_cast<RestrictionGrade>(v);
        if (a.any()) push_attr(toks_[j].offset, tok_end(j), a);
        ++j;
        continue;
      }
      j = scan_token(j);
    }
  }
  end_clause(tok_end(end - 1));
  return true;
}

}  // namespace mfr::legacy::note
