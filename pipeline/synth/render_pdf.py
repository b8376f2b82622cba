"""Render a document as a text-layer A4 PDF (reportlab, WenQuanYi Zen Hei).

Headings and paragraphs flow with CJK line breaking, tables are ruled grids
whose header rows repeat when a page cuts them, signature and two-column blocks
sit side by side, and every page carries the document's page header and a page number.
Output is byte-for-byte reproducible (reportlab's invariant mode).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from pipeline.synth.model import Document, Heading, PageBreak, Paragraph, Signature, Table, TwoColumns

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT = "WQYZenHei"
MARGIN_MM = 20
SIZES = {"body": 10.5, "cell": 8.5, "title": 16, "clause": 11.5, "annex": 12.5, "furniture": 8}
CELL_PADDING = 3       # points each side of a cell
HEADER_POINTS = 100    # header labels wider than this may wrap
FLEXIBLE_POINTS = 90   # columns wider than this wrap their text (names, notes)
MIN_POINTS = 16


@lru_cache(maxsize=1)
def _styles() -> dict:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not FONT_PATH.exists():
        raise FileNotFoundError(f"CJK font not found: {FONT_PATH} (install fonts-wqy-zenhei)")
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH), subfontIndex=0))

    def style(name: str, size: float, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=FONT, fontSize=size, leading=size * 1.45, wordWrap="CJK", **kw)

    return {
        "body": style("body", SIZES["body"], spaceAfter=4),
        "cell": style("cell", SIZES["cell"]),
        "title": style("title", SIZES["title"], alignment=TA_CENTER, spaceAfter=12, spaceBefore=24),
        "clause": style("clause", SIZES["clause"], spaceBefore=8, spaceAfter=4),
        "annex": style("annex", SIZES["annex"], spaceAfter=6),
    }


def _para(text: str, style):
    from reportlab.platypus import Paragraph as RLParagraph
    return RLParagraph(escape(text).replace("\n", "<br/>"), style)


def _column_widths(block: Table, total: float) -> list[float]:
    """Widths that never break a figure: short columns get their widest cell, the
    long text columns (service names, notes, descriptions) share what is left."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def points(text: str) -> float:
        return stringWidth(text, FONT, SIZES["cell"]) + 2 * CELL_PADDING + 1

    body = block.rows[block.header_rows:] or block.rows
    head = block.rows[:block.header_rows]
    need = []
    for c in range(len(block.rows[0])):
        data = max(points(r[c]) for r in body)
        label = max((points(r[c]) for r in head), default=0)
        need.append(max(data, min(label, HEADER_POINTS), MIN_POINTS))
    flexible = {c for c, n in enumerate(need) if n > FLEXIBLE_POINTS or c == block.wrap_column}
    left = total - sum(n for c, n in enumerate(need) if c not in flexible)
    if not flexible or left < FLEXIBLE_POINTS * len(flexible):
        return [n * total / sum(need) for n in need]
    share = sum(need[c] for c in flexible)
    return [need[c] / share * left if c in flexible else need[c] for c in range(len(need))]


def _table(block: Table, frame_width: float):
    from reportlab.lib import colors
    from reportlab.platypus import Table as RLTable, TableStyle

    styles = _styles()
    data = [[_para(cell, styles["cell"]) for cell in row] for row in block.rows]
    table = RLTable(data, colWidths=_column_widths(block, frame_width), repeatRows=block.header_rows)
    commands = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING)]
    if block.ruled:
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    table.setStyle(TableStyle(commands))
    return table


def _signature(block: Signature, frame_width: float):
    from reportlab.platypus import Table as RLTable

    styles = _styles()
    cells = [[_para(line, styles["body"]) for line in column] for column in block.columns]
    return RLTable([cells], colWidths=[frame_width / len(cells)] * len(cells))


def _two_columns(block: TwoColumns, frame_width: float):
    from reportlab.platypus import Table as RLTable

    styles = _styles()
    rows = [[_para(left, styles["body"]), _para(right, styles["body"])] for left, right in block.rows]
    return RLTable(rows, colWidths=[frame_width / 2] * 2)


def render_pdf(doc: Document, path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak as RLPageBreak, SimpleDocTemplate, Spacer

    styles = _styles()
    margin = MARGIN_MM * mm
    template = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=margin, rightMargin=margin,
                                 topMargin=margin, bottomMargin=margin, invariant=1,
                                 title="", author="", creator="", producer="")
    frame_width = A4[0] - 2 * margin
    level_style = {0: styles["title"], 1: styles["clause"], 2: styles["annex"]}
    story = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            story.append(_para(block.text, level_style[block.level]))
        elif isinstance(block, Paragraph):
            story.append(_para(block.text, styles["body"]))
        elif isinstance(block, Table):
            story += [_table(block, frame_width), Spacer(1, 6)]
        elif isinstance(block, Signature):
            story.append(_signature(block, frame_width))
        elif isinstance(block, TwoColumns):
            story.append(_two_columns(block, frame_width))
        elif isinstance(block, PageBreak):
            story.append(RLPageBreak())

    def furniture(canvas, rl_doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, SIZES["furniture"])
        top = A4[1] - margin / 2
        for n, line in enumerate(doc.page_header):
            canvas.drawCentredString(A4[0] / 2, top - n * SIZES["furniture"] * 1.3, line)
        canvas.drawCentredString(A4[0] / 2, margin / 2, f"第 {rl_doc.page} 页")
        canvas.restoreState()

    template.build(story, onFirstPage=furniture, onLaterPages=furniture)
