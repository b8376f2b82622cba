"""Page layout: positioned tokens of one page → the page text the pipeline reads.

Both PDF backends end here. The text layer gives words, OCR gives text lines; each
arrives as a `Token` whose glyphs carry a box and a confidence. Given the ruled
grids found on the page, every glyph inside a grid goes to the cell that holds its
centre; the remaining tokens form prose lines. Runs of prose lines split by wide gaps
into pieces that line up in columns become tables too (columns from the strips
of white that run down through all their lines), and prose lines
that were wrapped at the right margin are joined back into one line per paragraph.
The page is then written top to bottom: one line per prose line and one
tab-separated line per table row, a cell's wrapped lines joined into one, with a
box and a confidence for every character (None for inserted separators).

All tolerances are in "em", the page's body font size measured on its glyphs, so
the same code serves PDF points and image pixels.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from pipeline.document import Box, PageText
from pipeline.ingest.grid import Grid

LINE_CENTRE_TOLERANCE = 0.4  # a token this far (share of its height) from a line's centre is on it
SPACE_GAP_EM = 0.2          # a gap this wide between two tokens is a space
COLUMN_GAP_EM = 0.7         # a gap this wide splits a prose line into column pieces (a space
                            # between words is 0.2–0.6 em, a tab stop or cell gap 0.8 em and more)
MIN_TABLE_LINES = 3         # an unruled table has at least this many lines in pieces
SHORT_PIECE_EM = 8.0        # a line this short, in one piece, may be a row with one cell filled
MIN_RIVER_EM = 0.5          # a white strip this wide through all of them separates two columns
MAX_ROW_GAP_EM = 1.5        # vertical gap that ends an unruled table
MIN_GLYPHS_FOR_EM = 20      # CJK glyphs needed to measure the font size from their width
MARGIN_MIN_SHARE = 0.6      # prose reaching this far across the page marks the right margin
WRAP_MARGIN_EM = 4.0        # a line ending this close to the right margin was wrapped (a number
                            # or a word that did not fit leaves a ragged edge)
PARAGRAPH_MAX_GAP_EM = 3.0  # a line with a wider gap is a row of a form, not part of a paragraph
WRAP_INDENT_EM = 1.0        # a continuation line starts no further right than this past its paragraph,
WRAP_LINE_GAP_EM = 1.0      # no further below than this (OCR boxes of adjacent lines may
WRAP_OVERLAP_EM = 0.5       # overlap this much), and in a font of about the same size
WRAP_HEIGHT_RATIO = 1.3
SENTENCE_END = ("。", "：", ":", "；", ";", "！", "？")
NEW_ITEM = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇两\d]+[条章节款部]"
    r"|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]"
    r"|[\d一二三四五六七八九十]{1,3}\s*[)）、](?!\d)"
    r"|\d{1,3}\s*[.．](?!\d)"
    r"|[•·●■◆▪\-*]\s"
    r"|附件|注\s*[:：])")
FIELD_LABEL = re.compile(r"^\s*[^\s，,。；;：:]{2,12}[：:]\s*\S")   # "用户单位（甲方）：北京市…"


@dataclass(frozen=True)
class Glyph:
    """One character (rarely a ligature) with its box and OCR confidence."""

    char: str
    box: Optional[Box]
    conf: Optional[float] = None


@dataclass
class Token:
    """A run of glyphs the backend found together: a text-layer word or an OCR line."""

    glyphs: list[Glyph]

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)

    @property
    def box(self) -> Box:
        return union(g.box for g in self.glyphs)

    @classmethod
    def spread(cls, text: str, box: Box, conf: Optional[float] = None) -> "Token":
        """A token whose glyph boxes are unknown: split `box` by character width
        (CJK and full-width characters count one em, others half)."""
        widths = [1.0 if is_wide(ch) else 0.5 for ch in text]
        total = sum(widths) or 1.0
        x0, top, x1, bottom = box
        glyphs, x = [], x0
        for ch, w in zip(text, widths):
            step = (x1 - x0) * w / total
            glyphs.append(Glyph(ch, None if ch.isspace() else (x, top, x + step, bottom), conf))
            x += step
        return cls(glyphs)


@dataclass
class Line:
    """Tokens side by side, left to right."""

    tokens: list[Token]

    @property
    def box(self) -> Box:
        return union(t.box for t in self.tokens)

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)

    def glyphs(self, em: float) -> list[Glyph]:
        """The line's glyphs, a space between tokens that stand apart."""
        out: list[Glyph] = []
        for prev, token in zip([None, *self.tokens], self.tokens):
            if prev is not None:
                out.extend(token_separator(prev, token, em))
            out.extend(token.glyphs)
        return out


@dataclass
class Block:
    """One output line: prose (one cell) or a table row (several cells)."""

    top: float
    cells: list[list[Glyph]]
    is_row: bool = False
    source_lines: list[Line] = field(default_factory=list)


# -- small helpers ------------------------------------------------------------
def union(boxes: Iterable[Optional[Box]]) -> Box:
    found = [b for b in boxes if b is not None]
    if not found:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(b[0] for b in found), min(b[1] for b in found),
            max(b[2] for b in found), max(b[3] for b in found))


def is_wide(ch: str) -> bool:
    """CJK ideographs, CJK punctuation and full-width forms."""
    code = ord(ch)
    return (0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFE30 <= code <= 0xFE4F
            or 0xFF00 <= code <= 0xFF60 or 0xFFE0 <= code <= 0xFFE6 or 0x20000 <= code <= 0x2FA1F)


def wrap_separator(left: str, right: str) -> str:
    """Joins the end of one visual line to the start of the next: nothing between two
    CJK characters or two digits (a number broken by a narrow cell), a space otherwise."""
    if not left or not right:
        return ""
    a, b = left[-1], right[0]
    return "" if (is_wide(a) and is_wide(b)) or (a.isdigit() and b.isdigit()) else " "


def token_separator(left: Token, right: Token, em: float) -> list[Glyph]:
    """Tokens stand apart where the text had a space (backends split at whitespace)."""
    text_l, text_r = left.text, right.text
    if not text_l or not text_r or text_l[-1].isspace() or text_r[0].isspace():
        return []
    return [Glyph(" ", None)] if right.box[0] - left.box[2] >= SPACE_GAP_EM * em else []


def centre(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def page_em(tokens: Sequence[Token]) -> float:
    """The page's body font size: the median width of its CJK glyphs (a CJK glyph is
    one em wide, in text layers and OCR alike; OCR line boxes are taller than the
    font), else the median token height."""
    widths = [g.box[2] - g.box[0] for t in tokens for g in t.glyphs
              if g.box is not None and is_wide(g.char) and g.box[2] > g.box[0]]
    if len(widths) >= MIN_GLYPHS_FOR_EM:
        return statistics.median(widths)
    heights = [t.box[3] - t.box[1] for t in tokens if t.glyphs]
    heights = [h for h in heights if h > 0]
    return statistics.median(heights) if heights else 1.0


def split_at_wide_spaces(token: Token, em: float) -> list[Token]:
    """The token cut where a space stands a column gap wide (OCR reads cells that
    sit close together as one line: "法定代表人　曾宇秀")."""
    out: list[list[Glyph]] = [[]]
    ink_right: Optional[float] = None
    for glyph in token.glyphs:
        if glyph.box is not None and not glyph.char.isspace():
            if (ink_right is not None and out[-1] and out[-1][-1].char.isspace()
                    and glyph.box[0] - ink_right >= COLUMN_GAP_EM * em):
                out.append([])
            ink_right = glyph.box[2]
        out[-1].append(glyph)
    return [Token(strip_spaces(glyphs)) for glyphs in out if strip_spaces(glyphs)]


# -- grids: glyphs to cells -----------------------------------------------------
def split_by_cells(tokens: Iterable[Token], grids: Sequence[Grid]
                   ) -> tuple[list[Token], dict[tuple[int, int, int], list[Token]]]:
    """Prose tokens, and token pieces by (grid, row, column) of their glyph centres.
    A glyph drawn across a column rule (text overflowing its cell) stays with the
    glyph before it."""
    prose: list[Token] = []
    cells: dict[tuple[int, int, int], list[Token]] = {}
    for token in tokens:
        for key, piece in cell_runs(token, grids):
            if key is None:
                prose.append(piece)
            else:
                cells.setdefault(key, []).append(piece)
    return prose, cells


def cell_runs(token: Token, grids: Sequence[Grid]) -> list[tuple[Optional[tuple[int, int, int]], Token]]:
    """The token's pieces by (grid, row, column) of their glyph centres (None outside
    the grids), in reading order, spaces at their ends stripped."""
    runs: list[tuple[Optional[tuple[int, int, int]], list[Glyph]]] = []
    for glyph in token.glyphs:
        previous = runs[-1][0] if runs else None
        key = previous if glyph.box is None else cell_key(glyph.box, grids)
        if previous is not None and key != previous and grids[previous[0]].crosses_column(glyph.box):
            key = previous
        if runs and runs[-1][0] == key:
            runs[-1][1].append(glyph)
        else:
            runs.append((key, [glyph]))
    return [(key, Token(strip_spaces(glyphs))) for key, glyphs in runs if strip_spaces(glyphs)]


def cell_key(box: Box, grids: Sequence[Grid]) -> Optional[tuple[int, int, int]]:
    x, y = centre(box)
    for index, grid in enumerate(grids):
        cell = grid.cell_at(x, y)
        if cell is not None:
            return (index, *cell)
    return None


def strip_spaces(glyphs: list[Glyph]) -> list[Glyph]:
    start, end = 0, len(glyphs)
    while start < end and glyphs[start].char.isspace():
        start += 1
    while end > start and glyphs[end - 1].char.isspace():
        end -= 1
    return glyphs[start:end]


def grid_blocks(grids: Sequence[Grid], cells: dict[tuple[int, int, int], list[Token]],
                em: float) -> list[Block]:
    """One block per non-empty grid row, its cells' lines joined into one line each."""
    blocks = []
    for g, grid in enumerate(grids):
        for r in range(grid.row_count):
            row = [join_lines(group_lines(cells.get((g, r, c), [])), em)
                   for c in range(grid.col_count)]
            if any(row):
                blocks.append(Block(top=grid.rows[r], cells=row, is_row=True))
    return blocks


def join_lines(lines: Sequence[Line], em: float) -> list[Glyph]:
    out: list[Glyph] = []
    for line in lines:
        glyphs = line.glyphs(em)
        if out and glyphs:
            sep = wrap_separator(out[-1].char, glyphs[0].char)
            out.extend(Glyph(ch, None) for ch in sep)
        out.extend(glyphs)
    return out


# -- prose: lines ---------------------------------------------------------------
def group_lines(tokens: Iterable[Token]) -> list[Line]:
    """Tokens into lines, top to bottom, each line left to right. A token joins the
    line above when its centre is close to the centre of that line's tokens (tall OCR
    boxes of neighbouring lines overlap, so overlap alone would chain them)."""
    lines: list[list[Token]] = []
    for token in sorted(tokens, key=lambda t: centre(t.box)[1]):
        y, height = centre(token.box)[1], token.box[3] - token.box[1]
        if lines:
            line = lines[-1]
            line_y = statistics.fmean(centre(t.box)[1] for t in line)
            line_height = statistics.median(t.box[3] - t.box[1] for t in line)
            if abs(y - line_y) <= LINE_CENTRE_TOLERANCE * min(height, line_height):
                line.append(token)
                continue
        lines.append([token])
    return [Line(sorted(ts, key=lambda t: t.box[0])) for ts in lines]


# -- prose: unruled tables --------------------------------------------------------
def pieces(line: Line, em: float) -> list[list[Token]]:
    """The line split at gaps of COLUMN_GAP_EM or more."""
    out: list[list[Token]] = []
    for token in line.tokens:
        if out and token.box[0] - out[-1][-1].box[2] < COLUMN_GAP_EM * em:
            out[-1].append(token)
        else:
            out.append([token])
    return out


def piece_span(piece: list[Token]) -> tuple[float, float]:
    return piece[0].box[0], piece[-1].box[2]


def column_bounds(spans: Iterable[tuple[float, float]], em: float) -> list[float]:
    """Column boundaries of an unruled table: the middles of the vertical strips of
    white that no piece of any of its lines crosses."""
    bounds: list[float] = []
    right: Optional[float] = None
    for x0, x1 in sorted(spans):
        if right is not None and x0 - right >= MIN_RIVER_EM * em:
            bounds.append((right + x0) / 2)
        right = x1 if right is None else max(right, x1)
    return bounds


def aligned_run(lines: list[Line], start: int, em: float) -> list[list[list[Token]]]:
    """Pieces of the lines from `start` on that stand in columns: consecutive, close
    together, each split into two or more pieces, or a short single piece between
    such lines (a form's label with an empty value)."""
    run: list[list[list[Token]]] = []
    bottom: Optional[float] = None
    for line in lines[start:]:
        split = pieces(line, em)
        short = len(split) == 1 and line.box[2] - line.box[0] <= SHORT_PIECE_EM * em
        if not (len(split) >= 2 or (run and short)):
            break
        if bottom is not None and line.box[1] - bottom > MAX_ROW_GAP_EM * em:
            break
        run.append(split)
        bottom = line.box[3]
    while run and len(run[-1]) == 1:
        run.pop()
    return run


def aligned_table(lines: list[Line], start: int, em: float) -> list[Block]:
    """Table rows of an unruled table starting at line `start` (none if there is no
    such table): columns from the white strips that run through all its lines, each
    piece in the column of its centre."""
    run = aligned_run(lines, start, em)
    if sum(1 for split in run if len(split) >= 2) < MIN_TABLE_LINES:
        return []
    bounds = column_bounds((piece_span(p) for split in run for p in split), em)
    if not bounds or all(NEW_ITEM.match(split[0][0].text) for split in run):
        return []   # no columns, or a numbered list ("(1) …", "(2) …") set with wide spaces
    blocks = []
    for line, split in zip(lines[start:], run):
        cells: list[list[Token]] = [[] for _ in range(len(bounds) + 1)]
        for piece in split:
            x = sum(piece_span(piece)) / 2
            cells[sum(1 for b in bounds if x >= b)].extend(piece)
        blocks.append(Block(top=line.box[1], cells=[Line(c).glyphs(em) for c in cells], is_row=True))
    return blocks


def prose_blocks(lines: list[Line], em: float) -> list[Block]:
    """Prose lines as blocks, with runs of lines in columns turned into table rows."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        table = aligned_table(lines, i, em)
        if table:
            blocks.extend(table)
            i += len(table)
            continue
        blocks.append(Block(top=lines[i].box[1], cells=[lines[i].glyphs(em)], source_lines=[lines[i]]))
        i += 1
    return blocks


# -- prose: wrapped paragraphs -----------------------------------------------------
def body_right(lines: Sequence[Line], page_width: float) -> Optional[float]:
    """The right margin: where the longest prose line ends, if that is across most of
    the page (a page of short lines has no wrapped ones)."""
    right = max((line.box[2] for line in lines), default=0.0)
    return right if right >= MARGIN_MIN_SHARE * page_width else None


def widest_gap(line: Line) -> float:
    return max((b.box[0] - a.box[2] for a, b in zip(line.tokens, line.tokens[1:])), default=0.0)


def continues(first: Line, prev: Line, line: Line, margin: Optional[float], em: float) -> bool:
    """Whether `line` continues the paragraph that starts with `first` and whose
    last visual line is `prev` (a field line after a field line is a new item)."""
    if margin is None:
        return False
    p_box, box = prev.box, line.box
    text_prev, text = prev.text.rstrip(), line.text
    return (p_box[2] >= margin - WRAP_MARGIN_EM * em
            and widest_gap(prev) < PARAGRAPH_MAX_GAP_EM * em
            and -WRAP_OVERLAP_EM * em <= box[1] - p_box[3] <= WRAP_LINE_GAP_EM * em
            and box[0] <= p_box[0] + WRAP_INDENT_EM * em
            and max(prev.height, line.height) <= WRAP_HEIGHT_RATIO * min(prev.height, line.height)
            and not text_prev.endswith(SENTENCE_END)
            and not NEW_ITEM.match(text)
            and not (FIELD_LABEL.match(first.text) and FIELD_LABEL.match(text)))


def unwrap(blocks: list[Block], em: float, page_width: float) -> list[Block]:
    """Joins prose blocks that continue a wrapped paragraph into their first line."""
    margin = body_right([line for b in blocks for line in b.source_lines], page_width)
    out: list[Block] = []
    for block in blocks:
        last = out[-1] if out else None
        if (last is not None and not block.is_row and not last.is_row
                and continues(last.source_lines[0], last.source_lines[-1], block.source_lines[0], margin, em)):
            glyphs = block.cells[0]
            sep = wrap_separator(last.cells[0][-1].char, glyphs[0].char) if glyphs and last.cells[0] else ""
            last.cells[0].extend(Glyph(ch, None) for ch in sep)
            last.cells[0].extend(glyphs)
            last.source_lines.extend(block.source_lines)
            continue
        out.append(block)
    return out


# -- the page ---------------------------------------------------------------------
def render(blocks: Sequence[Block], source: str) -> PageText:
    """Blocks top to bottom as text, tab between cells, newline between blocks."""
    text: list[str] = []
    boxes: list[Optional[Box]] = []
    confs: list[Optional[float]] = []
    for n, block in enumerate(blocks):
        if n:
            text.append("\n")
            boxes.append(None)
            confs.append(None)
        for c, cell in enumerate(block.cells):
            if c:
                text.append("\t")
                boxes.append(None)
                confs.append(None)
            for glyph in cell:
                for ch in glyph.char:
                    text.append(" " if ch.isspace() or ord(ch) < 32 else ch)
                    boxes.append(glyph.box)
                    confs.append(glyph.conf)
    return PageText(text="".join(text), boxes=boxes, confidences=confs, source=source)


def assemble(tokens: Sequence[Token], grids: Sequence[Grid], page_width: float, source: str) -> PageText:
    """The page text of `tokens` on a page `page_width` wide, tables from `grids` and
    from columns of unruled text."""
    em = page_em(tokens)
    tokens = [piece for t in tokens for piece in split_at_wide_spaces(t, em)]
    prose, cells = split_by_cells(tokens, grids)
    blocks = grid_blocks(grids, cells, em) + unwrap(prose_blocks(group_lines(prose), em), em, page_width)
    blocks.sort(key=lambda b: b.top)
    return render(blocks, source)
