"""Stage 1, text normalization: the text the extractors read, mapped to the source.

Full-width digits, letters and punctuation become their ASCII forms (one
character for one, so offsets do not move), and so does a 大写 money character
that OCR read as its look-alike between two others (捌任贰佰 → 捌仟贰佰);
thousands separators and OCR spaces inside numbers are removed, and so are the
spaces of letter-spaced lines ("合 同 编 号") and of letter-spaced labels before a
colon ("项 目 名 称：…", "账 号："),
and the line breaks OCR put inside a paragraph (a sentence wrapped at the page's
width becomes one line again). A text exported without line breaks (a whole
contract, or a page of it, on one line) is cut into lines before its labels
("合同编号：", "甲方：", "采购人（甲方）："), its headings (第X条, 一、) and after
its sentences, so that later stages see the lines a contract is written in.
Every edit is recorded in the document's `OffsetMap`, so offsets still point
into the raw text.
Repeated page headers, footers and logo lines are found here and recorded as
furniture spans, which later stages skip; they stay in the text so that a value
printed only in a running header (a 合同编号 line) can still be found.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

import regex

from extractors.values.cnmoney import CAPITAL_LOOK_ALIKE, OCR_CONFUSIONS
from pipeline.document import ContractDoc, OffsetMap

FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
FULLWIDTH.update({0x3000: 0x20, 0xFFE5: 0xA5, 0x00A0: 0x20, 0x2003: 0x20, 0x2002: 0x20})

FURNITURE_MIN_REPEATS = 3
FURNITURE_MIN_AT_BREAKS = 1
FURNITURE_MIN_REPEATS_ANYWHERE = 4
FURNITURE_MIN_CHARS_ANYWHERE = 4
FURNITURE_NOISE = regex.compile(r"[\W_]+")
SUM_WORDS = regex.compile(r"小计|合计|总计|总价")
FURNITURE_MAX_CHARS = 40
FURNITURE_EDGE_LINES = 2

THOUSANDS = regex.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]*\d)")
SPACED_DECIMAL = regex.compile(r"(?<=\d) ?\. (?=\d)|(?<=\d) \.(?=\d)")
#: "0、1%": OCR read the decimal point of a rate as 、 (a list is never numbered 0).
COMMA_DECIMAL = regex.compile(r"(?<![\d.])0\s*、\s*(?=\d+\s*[%‰])")
#: "¥1 080 000.00", "1 080 000.00 元": thousands parted by spaces, only where money is marked (a
#: table flattened with single spaces puts "11 280.1" side by side: two figures, not one).
SPACED_GROUPS = regex.compile(r"(?<=(?:[¥￥]|人民币)\s*)\d{1,3}(?: \d{3})+\.\d{1,2}(?!\d)"
                              r"|(?<![\d.])\d{1,3}(?: \d{3})+\.\d{1,2}(?=\s*万?元)")
PAGE_BREAK = regex.compile(r"\f|\n(?:[ \t]*\n){3,}")
PAGE_NUMBER = regex.compile(r"^(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|[-—–]\s*\d+\s*[-—–]|\d+\s*/\s*\d+|Page\s*\d+(?:\s*of\s*\d+)?)$",
                            regex.IGNORECASE)
#: A page marker standing apart at the end of a line ("某某服务合同      第 1 页 共 3 页"): the
#: line is a running header or footer, whatever text stands before the marker.
PAGE_MARKER = r"(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页|Page\s*\d+(?:\s*of\s*\d+)?)"
#: A marker that counts the pages ("第1页共3页") stands for one even where OCR lost the gap before it.
PAGE_OF_PAGES = r"(?:第\s*\d+\s*页\s*[,，/]?\s*共\s*\d+\s*页|共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页)"
PAGE_MARKER_TAIL = regex.compile(r"(?:(?:[ ]{2,}|\t)" + PAGE_MARKER + r"|\s*" + PAGE_OF_PAGES + r")\s*$",
                                 regex.IGNORECASE)
#: What stands for a page marker in a line's furniture key, so that the headers of all pages share one.
PAGE_MARKER_KEY = "页码"

HAN_GAP = regex.compile(r"(?<=\p{Han}) (?=\p{Han})")
HAN_SPACE = regex.compile(r"\p{Han} +\p{Han}")
#: In a letter-spaced line, the spaces between characters and the marks around them ("甲 方 （ 采 购 人 ） ：").
LETTER_GAP = regex.compile(r"(?<=[\p{Han}()（）:：、,，。《》]) (?=[\p{Han}()（）:：、,，。《》])")
HAN_PAIR = regex.compile(r"\p{Han}(?=\p{Han})")
MIN_LETTER_GAPS = 3
LETTER_SPACED_SHARE = 0.5

#: A label whose characters are parted by single spaces, before its colon ("项 目 名 称：", "账 号：").
#: A form pads a short label to the width of the longest with several spaces ("甲    方：", "地    址：").
SPACED_LABEL = regex.compile(
    r"(?:^|(?<=[\t:：，,；;。]|  ))[ \t]*(?:[\d一二三四五六七八九十]+\s*[、.．][ \t]*)?"
    r"(?P<label>\p{Han}(?: \p{Han}){1,7}|\p{Han}(?: {1,6}\p{Han}){1,3})[ \t]*[:：]")

#: A line this long that holds several labels or headings is a run-on export, not a paragraph.
RUN_ON_MIN_CHARS = 200
RUN_ON_MIN_BREAKS = 3
#: A line that opens with a key and its colon ("项 目 名 称：", "地址：").
LEADING_KEY = regex.compile(r"^[^:：，,。；;]{1,16}[:：]")
ADJOINING = regex.compile(r"[\p{Han}A-Za-z0-9]")
#: Headings inside a run-on line: they start a line after a sentence or a space.
RUN_ON_HEADING = regex.compile(
    r"(?<=(?:^|[。；;])\s*+|\s)(?P<at>第\s*[一二三四五六七八九十百\d]+\s*[条章](?=\s*\p{Han})"
    r"|[一二三四五六七八九十]{1,3}\s*[、．](?=\s*\p{Han}))")
#: List items inside a run-on line ("（1）", "2."): they start a line too, but a long paragraph
#: may enumerate, so they do not show a line to be run-on.
RUN_ON_ITEM = regex.compile(
    r"(?<=^|[。；;]|\s)\s*(?P<at>[(（]\s*[一二三四五六七八九十\d]{1,2}\s*[)）]|\d{1,2}\s*[、．.](?![\d.]))")
#: A sentence's end inside a run-on line, unless a closing mark follows.
RUN_ON_SENTENCE_END = regex.compile(r"[。；;](?=\s*[^\s)）」』”\]】。；;，,])")
#: A short key after a space ("采购方式: 公开招标 合同类型: 服务类").
RUN_ON_SPACED_KEY = regex.compile(r"(?<=\s)\p{Han}[^\s:：，,。；;()（）]{1,11}[:：]")
BRACKET_PART = r"(?:\s*[(（][^()（）]{0,8}[)）])?"
LABEL_BOUNDARY = r"(?<=^|[\s\d\p{P}])"
SHORT_LABEL_CHARS = 2
LIST_MARKER_ONLY = regex.compile(
    r"\s*(?:第\s*[一二三四五六七八九十百\d]+\s*[条章]|[一二三四五六七八九十]{1,3}\s*[、．]"
    r"|[(（]\s*[一二三四五六七八九十\d]{1,2}\s*[)）]|\d{1,2}\s*[、．.])\s*")
OPENING_BRACKETS = frozenset("(（《[【「")
CLOSING_BRACKETS = frozenset(")）》]】」")

WRAP_MIN_CHARS = 20
#: How a short line that breaks off mid-phrase ends ("本合同总金额为人民币" ⏎ "壹佰…").
BROKEN_OFF = regex.compile(r"(?:[为的至按于和及与或、,¥]|人民币|金额|总价|合计)\s*$")
PARAGRAPH_END = tuple("。；;:：！!？?")
SPELLED_LABEL = regex.compile(r"(?:大写|小写)\s*[:：]$")  # "…元（大写：" ⏎ "壹佰…）": the amount follows
#: How a line that starts something new begins: a heading, a list item, a table row, a key.
NEW_LINE_START = regex.compile(
    r"^\s*(?:第\s*[一二三四五六七八九十百\d]+\s*[条章]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．)）](?!\d)|\d+\s"
    r"|[(（]\s*[\d一二三四五六七八九十]+\s*[)）]|[-•*]|附件|(?![^\s:：]{0,12}(?:大写|小写))[^\s:：，,。；;]{2,12}[:：])")
#: Lines that stand alone: "label: value" lines, and rows of a table parted by single spaces.
KEY_LINE = regex.compile(r"^\s*(?![^\s:：]{0,12}(?:大写|小写))[^\s:：，,。；;]{2,12}[:：]")
MIN_HEADER_GAPS = 3
ROW_LINE = regex.compile(r"^\s*\d+\s|\s[\d,]+(?:\.\d+)?\s*$")  # opened by a row number, or closed by a figure

Edit = tuple[int, int, str]


def normalize(doc: ContractDoc) -> ContractDoc:
    """Fill doc.text, doc.offsets and doc.furniture from doc.raw."""
    paged = doc.raw.translate(FULLWIDTH)
    repeated = repeated_lines(paged)
    edits = merge_edits(number_edits(paged) + capital_numeral_edits(paged) + letter_spacing_edits(paged)
                        + spaced_label_edits(paged) + wrap_edits(paged, repeated) + run_on_edits(paged))
    text, doc.offsets = apply_edits(paged, edits)
    doc.text = text.replace("\f", "\n")
    doc.furniture = furniture_spans(doc.text, repeated)
    return doc


def number_edits(text: str) -> list[Edit]:
    """Edits that drop thousands separators and OCR spaces inside numbers, and mend a rate's
    decimal point OCR read as 、."""
    edits: list[Edit] = []
    for match in THOUSANDS.finditer(text):
        for i, ch in enumerate(match.group()):
            if ch == ",":
                edits.append((match.start() + i, match.start() + i + 1, ""))
    for match in SPACED_GROUPS.finditer(text):
        for i, ch in enumerate(match.group()):
            if ch == " ":
                edits.append((match.start() + i, match.start() + i + 1, ""))
    for match in SPACED_DECIMAL.finditer(text):
        edits.append((match.start(), match.end(), "."))
    for match in COMMA_DECIMAL.finditer(text):
        edits.append((match.start() + 1, match.end(), "."))
    return merge_edits(edits)


def capital_numeral_edits(text: str) -> list[Edit]:
    """Edits that put right a 大写 character OCR misread as its look-alike, where it stands
    between two 大写 money characters (捌任贰佰 → 捌仟贰佰), one character for one."""
    return [(match.start(), match.end(), OCR_CONFUSIONS[match.group()])
            for match in CAPITAL_LOOK_ALIKE.finditer(text)]


def merge_edits(edits: list[Edit]) -> list[Edit]:
    """The edits sorted, each one that overlaps an earlier one (or repeats it) dropped."""
    merged: list[Edit] = []
    for edit in sorted(set(edits)):
        if merged and (edit[0] < merged[-1][1] or edit[:2] == merged[-1][:2]):
            continue
        merged.append(edit)
    return merged


def letter_spaced_gaps(line: str) -> list[int]:
    """Where the single spaces of a letter-spaced line stand ("政 务 云 服 务"), else nothing.

    A line is letter-spaced when most of its neighbouring Chinese characters are
    parted by one space; a space between two words ("云数据库 高可用版") is kept.
    """
    gaps = len(HAN_GAP.findall(line))
    if gaps < MIN_LETTER_GAPS:
        return []
    joined = len(HAN_PAIR.findall(line))
    if gaps < LETTER_SPACED_SHARE * (gaps + joined):
        return []
    return [m.start() for m in LETTER_GAP.finditer(line)]


def without_letter_spacing(line: str) -> str:
    if " " not in line:
        return line
    gaps = set(letter_spaced_gaps(line))
    return "".join(ch for i, ch in enumerate(line) if i not in gaps) if gaps else line


def letter_spacing_edits(text: str) -> list[Edit]:
    """Edits that drop the spaces of letter-spaced lines."""
    edits: list[Edit] = []
    pos = 0
    for line in text.split("\n"):
        if " " in line:
            edits.extend((pos + gap, pos + gap + 1, "") for gap in letter_spaced_gaps(line))
        pos += len(line) + 1
    return edits


def spaced_label_edits(text: str) -> list[Edit]:
    """Edits that drop the spaces of a letter-spaced label on a line that is not letter-spaced
    as a whole ("项 目 名 称：某某项目"); a letter-spaced line is handled as a whole."""
    edits: list[Edit] = []
    pos = 0
    for line in text.split("\n"):
        if ":" in line and HAN_SPACE.search(line):
            for match in SPACED_LABEL.finditer(line):
                start = pos + match.start("label")
                edits.extend((start + i, start + i + 1, "") for i, ch in enumerate(match.group("label")) if ch == " ")
        pos += len(line) + 1
    return edits


@lru_cache(maxsize=1)
def run_on_starts() -> regex.Pattern:
    """Where a line starts in a run-on text: before a label of the party roles, their fields
    and the contract's own labels (extractors/vocab), any of them before a colon, and before
    the words that open a contract's first sentence ("根据《…》").

    A role-led or contract label starts a line wherever it stands ("某局供应商（乙方）："),
    a field label of three or more characters too ("某公司法定代表人："); a two-character
    field label ("地址：") only after a space, a digit or a mark, since it may end a longer
    label the vocabulary does not hold.
    """
    from extractors.lexicon import alternation, load

    parties, metadata = load("parties"), load("metadata")
    roles = alternation([w for words in parties["roles"].values() for w in words])
    fields = [w for words in parties["fields"].values() for w in words] + parties["other_labels"]
    long_fields = alternation([w for w in fields if len(w) > SHORT_LABEL_CHARS])
    short_fields = alternation([w for w in fields if len(w) <= SHORT_LABEL_CHARS])
    labels = metadata["labels"]
    projects = [w for words in labels["project_name"] for w in words]
    contract = alternation(labels["contract_no"] + projects + labels["signed_date"] + metadata["run_on_labels"])
    return regex.compile(
        r"(?:(?:" + roles + r")" + BRACKET_PART + r"(?:" + alternation(fields) + r")?|" + contract
        + r"|" + long_fields + r"|" + LABEL_BOUNDARY + r"(?:" + short_fields + r"))" + BRACKET_PART + r"\s*[:：]"
        + r"|" + alternation(metadata["run_on_openers"]))


def run_on_breaks(line: str) -> list[int]:
    """Where the lines of a run-on line start: before labels, headings, list items and short
    keys that follow a space, and after sentences; none when fewer than RUN_ON_MIN_BREAKS
    labels and headings (list items and sentences do not count) show the line to be a
    run-on export rather than a long paragraph.

    No line starts inside brackets ("（项目编号：…）") or right after a list marker ("一、项目名称：")."""
    found = {m.start() for m in run_on_starts().finditer(line)}
    found |= {m.start("at") for m in RUN_ON_HEADING.finditer(line)}
    if len(found) < RUN_ON_MIN_BREAKS:
        return []
    found |= {m.start("at") for m in RUN_ON_ITEM.finditer(line)}
    found |= {m.start() for m in RUN_ON_SPACED_KEY.finditer(line)}
    found |= {m.end() for m in RUN_ON_SENTENCE_END.finditer(line)}
    depths = bracket_depths(line)
    breaks: list[int] = []
    last = 0
    for at in sorted(found):
        before = line[last:at]
        if depths[at] or not before.strip() or LIST_MARKER_ONLY.fullmatch(before):
            continue
        breaks.append(at)
        last = at
    return breaks


def bracket_depths(line: str) -> list[int]:
    """For each position of `line`, how many brackets are open before it."""
    depths, depth = [], 0
    for ch in line:
        depths.append(depth)
        if ch in OPENING_BRACKETS:
            depth += 1
        elif ch in CLOSING_BRACKETS and depth:
            depth -= 1
    depths.append(depth)
    return depths


def run_on_edits(text: str) -> list[Edit]:
    """Edits that cut run-on lines (a contract exported without line breaks) into lines."""
    edits: list[Edit] = []
    pos = 0
    for line in text.split("\n"):
        if len(line) >= RUN_ON_MIN_CHARS:
            edits.extend((pos + at, pos + at, "\n") for at in run_on_breaks(line))
        elif ":" in line or "：" in line:
            edits.extend((pos + at, pos + at, "\n") for at in joined_label_breaks(line))
        pos += len(line) + 1
    return edits


def joined_label_breaks(line: str) -> list[int]:
    """Where a label line holds a second label right after its value, with nothing between
    ("项目名称：X项目委托方（甲方）：Y", two fields a text layer put on one baseline): before each
    such label, outside brackets. A label after a comma or a space is left to the extractors."""
    key = LEADING_KEY.match(line)
    if key is None:
        return []
    starts = [m.start() for m in run_on_starts().finditer(line, key.end() + 1)
              if ADJOINING.match(line[m.start() - 1])]
    if not starts:
        return []
    depths = bracket_depths(line)
    return [at for at in starts if not depths[at]]


def wrap_edits(text: str, repeated: set[str]) -> list[Edit]:
    """Edits that join the lines of a paragraph OCR wrapped at the page's width."""
    edits: list[Edit] = []
    lines = text.split("\n")
    running = [bool(repeated) and furniture_key(line) in repeated for line in lines]
    plain = [without_letter_spacing(line) for line in lines]
    pos = 0
    for i, (line, following) in enumerate(zip(lines, lines[1:])):
        end = pos + len(line)
        if not running[i] and not running[i + 1] and is_wrapped(plain[i], plain[i + 1]):
            words = line[-1:].isascii() and line[-1:].isalnum() and following[:1].isascii() and following[:1].isalnum()
            edits.append((end, end + 1, " " if words else ""))
        pos = end + 1
    return edits


def is_wrapped(line: str, following: str) -> bool:
    """Whether `following` carries on the sentence `line` breaks off.

    Both come without letter-spacing; neither is a running header.
    """
    text, after = line.strip(), following.strip()
    if not after or (text.endswith(PARAGRAPH_END) and not SPELLED_LABEL.search(text)):
        return False
    if len(text) < WRAP_MIN_CHARS and not BROKEN_OFF.search(text):
        return False  # a short line: a heading or the end of a paragraph, unless it breaks off mid-phrase
    if any(mark in both for both in (line, following) for mark in ("\t", "  ", "|", "\f")):
        return False  # table rows and aligned columns
    if NEW_LINE_START.match(following) or PAGE_NUMBER.match(after) or PAGE_NUMBER.match(text):
        return False
    if (KEY_LINE.match(line) and "," not in line) or ROW_LINE.search(line):
        return False  # "乙方: 某公司" ⏎ "2023年6月" on a cover; a table row or sum line
    if after.count(" ") >= MIN_HEADER_GAPS and not regex.search(r"[,。;]", after):
        return False  # words parted by single spaces: a table's header
    return True


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, OffsetMap]:
    """Apply sorted, non-overlapping edits; return the new text and its offset map."""
    if not edits:
        return text, OffsetMap()
    parts: list[str] = []
    breakpoints = [(0, 0)]
    raw_pos = norm_pos = 0
    for start, end, replacement in edits:
        parts.append(text[raw_pos:start])
        norm_pos += start - raw_pos
        parts.append(replacement)
        norm_pos += len(replacement)
        raw_pos = end
        breakpoints.append((norm_pos, raw_pos))
    parts.append(text[raw_pos:])
    return "".join(parts), OffsetMap(breakpoints)


def is_furniture(line: str, count: int, at_edges: int, pages: int) -> bool:
    """A page number, a short line ending in a page marker set apart ("某合同    第 1 页 共 3 页"),
    or a short line repeated at page edges or very often."""
    if PAGE_NUMBER.match(line):
        return True
    marker = PAGE_MARKER_TAIL.search(line)
    if marker is not None and 0 < len(line[:marker.start()].strip()) <= FURNITURE_MAX_CHARS:
        return True
    if (len(line) > FURNITURE_MAX_CHARS or "\t" in line or line.startswith(("第", "附件"))
            or line.endswith((":", "：")) or SUM_WORDS.search(line)):
        return False  # headings, labels and the 小计 rows every table repeats are content
    if count >= FURNITURE_MIN_REPEATS and at_edges >= FURNITURE_MIN_AT_BREAKS and pages > 1:
        return True
    if count >= 2 and at_edges == count and count >= pages - 1:
        return True  # a short document's running header or logo: at the edge of every page after the first
    return count >= FURNITURE_MIN_REPEATS_ANYWHERE and len(line) >= FURNITURE_MIN_CHARS_ANYWHERE


def furniture_key(line: str) -> str:
    """A line without punctuation and spaces, so OCR variants of a header match; a page marker
    set apart at its end stands as one token, so the running header of every page has one key."""
    if "页" in line or "age" in line:
        line = PAGE_MARKER_TAIL.sub(PAGE_MARKER_KEY, line)
    return FURNITURE_NOISE.sub("", line)


def repeated_lines(paged: str) -> set[str]:
    """Keys of the lines repeated at page edges (or often, where OCR lost the page
    breaks): running headers, footers, logos."""
    pages = PAGE_BREAK.split(paged)
    counts: Counter[str] = Counter()
    at_edges: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for page in pages:
        lines = [ln.strip() for ln in page.split("\n") if furniture_key(ln)]
        keys = [furniture_key(ln) for ln in lines]
        for key, line in zip(keys, lines):
            examples.setdefault(key, line)
        counts.update(keys)
        at_edges.update(set(keys[:FURNITURE_EDGE_LINES] + keys[-FURNITURE_EDGE_LINES:]))
    return {key for key, n in counts.items() if is_furniture(examples[key], n, at_edges[key], len(pages))}


def furniture_spans(text: str, repeated: set[str]) -> list[tuple[int, int]]:
    """Spans of the lines of `text` whose key is among the `repeated` ones, and of a line right
    after a page footer that repeats the footer's words (the next page's running header). A
    marked line above all content heads the first page: the title under it is no header."""
    if not repeated:
        return []
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    pos, footer, content = 0, "", False
    for line in text.split("\n"):
        key = furniture_key(line)
        if key and (key in repeated or key + PAGE_MARKER_KEY == footer):
            spans[key].append((pos, pos + len(line)))
        if key:
            footer = key if content and key in repeated and key.endswith(PAGE_MARKER_KEY) else ""
            content = content or key not in repeated
        pos += len(line) + 1
    return sorted(s for group in spans.values() for s in group)
