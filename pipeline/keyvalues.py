"""Layout: key/value statements of the parties, read once for every extractor.

Party details are key/value statements: "法定代表人: 张三" lines, "KEY\tVALUE" cells
of order-form and signature tables, and role-prefixed keys in the body
("甲方项目负责人及联系方式: 李四, 138…"). A role anchor ("委托人（甲方）: X",
"乙方名称\tY", "乙方收款账户信息:") opens that party's context; keys under it
belong to that party until another anchor, a heading or a run of lines without
keys. A line naming both parties side by side ("甲方：X    乙方：Y") opens two
columns: the keys of the lines under it go to the party whose column they stand
in. A party's line repeated often enough to look like page furniture ("甲方：X"
before each block) still anchors its block. Inside clauses, where "甲方：…" may
open prose, an anchor counts only when its value is the party's name.

The stage leaves `doc.key_values`: every `KeyValue` (party, field, value span,
label span) in document order, whatever reader found it (a form cell, a line of
prose, a value on the line under its key, two parties side by side). Which one
becomes the record's value is the parties extractor's choice. Labels live in
extractors/vocab/parties.toml.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Optional

import regex

from extractors.common import as_written
from extractors.lexicon import alternation, load
from extractors.values.dates import DATE
from pipeline.document import ContractDoc, Line, Span
from pipeline.tables import Cell, Row, loose_row, split_cells

KEY_VALUE = regex.compile(r"(?P<k>(?:[^\s:：,，;；。、]|(?<=\p{Han}) (?=\p{Han})){1,24}?)\s*[:：]\s*")
BRACKETS = regex.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
PHONE = regex.compile(r"(?<!\d)(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}[- ]?\d{7,8}(?:-\d{1,5})?|[2-9]\d{6,7})(?!\d)")
ACCOUNT = regex.compile(r"\d[\d\s-]{7,34}\d")
VALUE_GAP = regex.compile(r"\s{2,}|\t")  # a value ends where a wide gap or a tab parts it from the next
NON_DIGIT = regex.compile(r"\D")
TAX_ID = regex.compile(r"[0-9A-Z]{15,20}")
PERSON = regex.compile(r"[\p{Han}·]{2,5}|\p{Han}(?: \p{Han}){1,4}(?!\p{Han})|[A-Za-z][A-Za-z .]{1,30}")
HAN_NAME = regex.compile(r"[\p{Han}· ]+")
ALIAS = regex.compile(r"\s*[(（]\s*以下(?:简称|称)[^)）]*[)）]\s*$")
LIST_MARKER = regex.compile(r"^\s*(?:\d+\s*[、.．)）](?!\d)|[(（]\s*[\d一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．])\s*")
PROSE_MARKS = regex.compile(r"[，,。；;！!？?]")
PARTY_SEPARATOR = regex.compile(r"[；;。]")  # what parts two parties introduced in one sentence
MAX_HEADING_ANCHOR_CHARS = 16
COMPOUND_LABEL = regex.compile(r"[/、及和]")
POSTCODE_TAIL = regex.compile(r"\s+\d{6}$")
MAX_CONTEXT_IDLE_LINES = 8
MAX_NAME_CHARS = 60
MAX_CELL_GAP = 2
MIN_LABEL_CHARS = 2        # a label found at the end of a value is at least this long


@dataclass(frozen=True)
class KeyValue:
    """A value stated under a key, with the party whose context it stands in."""

    party: str
    field: str
    value: Span
    label: Optional[Span]


@lru_cache(maxsize=None)
def vocab() -> dict:
    table = load("parties")
    roles = {word: role for role, words in table["roles"].items() for word in words}
    fields = {word: name for name, words in table["fields"].items() for word in words}
    role_pattern = alternation(list(roles))
    field_label = r"(?P<label>(?:(?:" + role_pattern + r")\s*)?(?:" + alternation(list(fields)) + r"))"
    return {
        "roles": roles,
        "fields": fields,
        "role_prefix": regex.compile(r"^(?:" + role_pattern + r")"),
        "any_role": regex.compile(role_pattern),
        "inner_role": regex.compile(r"[(（]\s*(" + role_pattern + r")\s*[)）]"),
        "seal_pattern": regex.compile(r"[(（]?\s*(?:" + alternation(table["seal_words"]) + r")\s*[)）]?"),
        "role_tail": regex.compile(r"\s*[(（]\s*(?:" + role_pattern + r")\s*[)）]\s*$"),
        "value_stop": regex.compile(alternation(table["value_stops"])),
        "name_endings": tuple(table["name_endings"]),
        "suffixes": tuple(table["suffixes"]),
        "context_words": tuple(table["context_words"]),
        "party_nouns": tuple(table["party_nouns"]),
        "seal": tuple(table["seal_words"]),
        "other_labels": frozenset(w.replace(" ", "") for w in table["other_labels"]),
        "spaced_pair": regex.compile(r"^\s*" + field_label + r"\s+(?P<value>\S.*?)\s*$"),
        "inline_pair": regex.compile(r"^\s*" + field_label + r"\s*(?P<value>\S.*?)\s*$"),
        "spaced_role": regex.compile(
            r"^\s*(?P<label>(?:" + role_pattern + r")(?P<inner>\s*[(（]\s*(?:" + role_pattern + r")\s*[)）])?)"
            r"\s+(?P<value>[^\s:：,，。；;]+)\s*$"),
    }


def read_key_values(doc: ContractDoc) -> ContractDoc:
    """Stage: every party key/value statement of the document, in order."""
    reader = KeyValueReader(doc)
    clause_lines = {ln.number for s in doc.sections if s.kind == "clause" for ln in s.lines(doc)}
    headings = {s.first_line for s in doc.sections}
    for line in doc.lines:
        if not line.text.strip() or (line.furniture and anchor_role(line.text) is None):
            continue
        if line.number in headings:
            reader.forget_context()
        reader.read_line(line, in_clause=line.number in clause_lines)
    doc.key_values = reader.found
    return doc


class KeyValueReader:
    """Walks the lines in order, tracking which party the current keys belong to."""

    def __init__(self, doc: ContractDoc):
        self.doc = doc
        self.found: list[KeyValue] = []
        self.names: dict[str, str] = {}  # each party's first name read, as cleaned
        self.role: Optional[str] = None
        self.columns: list[tuple[int, str]] = []  # (where a party's column starts, its role)
        # (cell column, role) of a party table's header row ("项目 ⇥ 甲方（委托方） ⇥ 乙方（服务方）")
        self.cell_columns: list[tuple[int, str]] = []
        # (role, field) of a key that ended its line with no value: "甲方：" ⏎ name, "联系电话：" ⏎ number
        self.value_next: Optional[tuple[str, str]] = None
        self.idle = 0

    def forget_context(self) -> None:
        self.role = None
        self.columns = []
        self.cell_columns = []

    def read_line(self, line: Line, in_clause: bool) -> None:
        awaiting, self.value_next = self.value_next, None
        if awaiting is not None and self.read_value_line(*awaiting, line):
            return
        if in_clause and self.role is None and not vocab()["any_role"].search(line.text):
            self.idle += 1  # clause prose that names no party cannot hold its details
            return
        row = self.doc.rows[line.number] if self.doc.rows else split_cells(line)
        if row is None and "  " in line.text.strip():
            pair = loose_row(line)
            if len(pair.cells) == 2 and self.classify_key(pair.cells[0].text) != (None, None):
                row = pair
        if row is not None and any(self.holds_key_and_value(cell.text) for cell in row.cells):
            row = None  # "甲方：X<tab>乙方：Y", "开户行：<gap>开户行：Y": keys share cells with values
        if row is None and ":" not in line.text:
            row = spaced_pair(line)
        if row is None:
            self.cell_columns = []
        found = self.read_cells(row) if row is not None else self.read_prose(line, in_clause)
        self.idle = 0 if found else self.idle + 1
        if self.idle > MAX_CONTEXT_IDLE_LINES:
            self.forget_context()

    # -- table rows --------------------------------------------------------
    def read_cells(self, row) -> bool:
        header = self.party_table_header(row)
        if header:
            self.cell_columns = header
            self.role = None
            return True
        if self.cell_columns:
            if self.read_party_table_row(row):
                return True
            self.cell_columns = []
        found = False
        cells = row.cells
        i = 0
        while i < len(cells):
            cell = cells[i]
            role, key = self.classify_key(cell.text)
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            adjacent = nxt is not None and nxt.column - cell.column <= MAX_CELL_GAP
            if role is not None and key is None:
                self.role = role
                found = True
                if adjacent and self.is_value(nxt.text):
                    self.offer(role, "name", nxt.span, cell.span)
                    i += 1
            elif key is not None:
                found = True
                target = role or self.role
                if role is not None and key == "name":
                    self.role = role
                if adjacent and self.is_value(nxt.text) and target:
                    self.offer(target, key, nxt.span, cell.span)
                    i += 1
            i += 1
        return found

    def party_table_header(self, row) -> list[tuple[int, str]]:
        """The party columns of a row that heads a two-party table: every cell but a leading
        corner cell ("项目", or none) is a bare role anchor, and the roles differ."""
        cells = row.cells
        anchors = []
        for n, cell in enumerate(cells):
            role, key = self.classify_key(cell.text)
            if role is not None and key is None:
                anchors.append((cell.column, role))
            elif n > 0 or role is not None or key is not None:
                return []
        if len(anchors) < 2 or len({role for _, role in anchors}) != len(anchors):
            return []
        return anchors

    def read_party_table_row(self, row) -> bool:
        """A row of a two-party table under its header: a field's key, then each party's value
        in that party's column ("单位名称 ⇥ X ⇥ Y"). A row of another shape ends the table."""
        cells = row.cells
        if len(cells) < 2:
            return False
        role, key = self.classify_key(cells[0].text)
        if key is None or role is not None:
            return False
        by_column = dict(self.cell_columns)
        values = cells[1:]
        if any(cell.column not in by_column or not self.is_value(cell.text) for cell in values):
            return False
        for cell in values:
            self.offer(by_column[cell.column], key, cell.span, cells[0].span)
        return True

    # -- prose -------------------------------------------------------------
    def read_prose(self, line: Line, in_clause: bool) -> bool:
        text = line.text
        if ":" not in text:
            return self.read_context_heading(text)
        keys = find_keys(text)
        if not keys:
            return False
        found = False
        line_role: Optional[str] = None
        sequence = self.read_columns(text, keys)
        for n, found_key in enumerate(keys):
            end = keys[n + 1].start if n + 1 < len(keys) else len(text)
            value_span = _trim(line.span.sub(found_key.end, end))
            label = line.span.sub(found_key.start, found_key.start + len(found_key.label))
            role, key, rest = read_label(found_key.label)
            if role is not None and key is None and rest:
                if self.is_context_anchor(rest) and value_span is None:
                    self.role = role
                    found = True
                elif self.is_context_anchor(rest) and value_span is not None:
                    found = self.read_inline_pairs(role, value_span) or found
                continue
            if role is not None and key is None:
                if in_clause and not self.names_party(role, value_span):
                    continue
                self.role = role
                found = True
                if value_span is not None:
                    self.offer(role, "name", value_span, label)
                elif len(keys) == 1:
                    self.value_next = (role, "name")
                continue
            if key is None:
                continue
            if role is not None:
                line_role = role
                if key == "name" and not in_clause:  # "甲方名称（盖章）：X" opens the client's block
                    self.role = role
            if sequence and role is None:
                role = sequence_role(sequence, found_key.start)
            target = role or self.column_role(found_key.start, n, len(keys)) or line_role or self.role
            if target is None:
                continue
            if in_clause and role is None and line_role is None and self.role is None:
                continue
            found = True
            if value_span is not None:
                self.offer(target, key, value_span, label)
            elif n == len(keys) - 1:
                self.value_next = (target, key)
        return found

    def read_context_heading(self, text: str) -> bool:
        """A short heading naming a party's details without a colon ("8. 乙方银行账户信息"),
        or a role alone on its line ("甲方（采购人）", a block header with the party's
        "单位名称：" line under it), opens that party's context for the key lines under it."""
        heading = LIST_MARKER.sub("", text).strip()
        if len(heading) > MAX_HEADING_ANCHOR_CHARS or PROSE_MARKS.search(heading):
            return False
        role, key, rest = read_label(heading)
        if role is None or key is not None or (rest and not self.is_context_anchor(rest)):
            return False
        if not rest and not is_role_heading(heading):
            return False
        self.role = role
        self.columns = []
        return True

    def names_party(self, role: str, value: Optional[Span]) -> bool:
        """Whether a role anchor inside a clause ("乙方：X") names the party rather than opening
        prose: its value is the party's name already read, or, with none read yet, looks like one."""
        if value is None or PROSE_MARKS.search(value.text):
            return False
        cleaned = clean_value("name", value)
        if cleaned is None:
            return False
        known = self.names.get(role)
        if known is not None:
            return cleaned[0] == known
        return cleaned[0].endswith(vocab()["name_endings"])

    def read_value_line(self, role: str, key: str, line: Line) -> bool:
        """The value of a key that ended the line above, when this line is nothing else
        (a date under an empty signature key is the signing date, never a field)."""
        text = line.text.strip()
        if (":" in text or "\t" in text or len(text) > MAX_NAME_CHARS or not self.is_value(text)
                or DATE.search(text)):
            return False
        if key == "name" and (regex.search(r"[。；;，,]", text) or not regex.search(r"\p{Han}{2}", text)):
            return False
        offset = line.text.index(text)
        span = line.span.sub(offset, offset + len(text))
        if clean_value(key, span) is None:
            return False
        self.offer(role, key, span, None)
        return True

    def read_columns(self, text: str, keys: list[Key]) -> list[tuple[int, str]]:
        """Open side-by-side columns when the line names both parties, close them when it names one.
        Parties introduced one after the other in a sentence ("甲方：X，地址：…；乙方：Y，…") open
        no columns: the anchors are returned, and each key belongs to the anchor before it."""
        anchors = []
        for found_key in keys:
            role, key, rest = read_label(found_key.label)
            if role is not None and key in (None, "name") and not rest:
                anchors.append((found_key.start, role))
        if len({role for _, role in anchors}) < 2:
            if anchors:
                self.columns = []
            return []
        between = text[anchors[0][0]:anchors[-1][0]]
        if PARTY_SEPARATOR.search(between) and not VALUE_GAP.search(between):
            self.columns = []
            return anchors
        self.columns = anchors
        return []

    def read_inline_pairs(self, role: str, value: Span) -> bool:
        """'乙方收款账户：开户行 某银行，账号 1234…': details after a party's context label, each a
        label and its value parted by a space or, where OCR lost it, by nothing (开户行某银行),
        the details parted by commas."""
        found = False
        start = 0
        for part in regex.split(r"[，,；;]", value.text):
            match = vocab()["inline_pair"].match(part)
            role_of, key = self.classify_key(match.group("label")) if match else (None, None)
            if key is not None and role_of in (None, role):
                label = value.sub(start + match.start("label"), start + match.end("label"))
                self.offer(role, key, value.sub(start + match.start("value"), start + match.end("value")), label)
                found = True
            start += len(part) + 1
        if found:
            self.role = role
        return found

    def column_role(self, position: int, n: int, count: int) -> Optional[str]:
        """The party of the column a key stands in: by order when every column has a key, else by position."""
        if not self.columns:
            return None
        if count == len(self.columns):
            return self.columns[n][1]
        return min(self.columns, key=lambda column: abs(column[0] - position))[1]

    def holds_key_and_value(self, text: str) -> bool:
        match = KEY_VALUE.match(text)
        return (match is not None and match.end() < len(text.rstrip())
                and self.classify_key(match.group("k")) != (None, None))

    def is_context_anchor(self, text: str) -> bool:
        return any(w in text for w in vocab()["context_words"])

    # -- keys and values ---------------------------------------------------
    def classify_key(self, label: str) -> tuple[Optional[str], Optional[str]]:
        """(role, field) named by a label: (role, None) for a bare role anchor
        ("委托人（甲方）"), (None, None) for anything else that names no field."""
        role, key, rest = read_label(label)
        if key is None and rest:
            return None, None
        return role, key

    def is_value(self, text: str) -> bool:
        """A cell that can be a value: not a label of any kind."""
        if self.classify_key(text) != (None, None):
            return False
        compact = BRACKETS.sub("", text.replace(" ", "")).rstrip(":：")
        return compact not in vocab()["other_labels"]

    def offer(self, role: str, key: str, span: Span, label: Optional[Span]) -> None:
        """Record the value at `span` for the field(s) `key` names ("bank_name+bank_account")."""
        for name in key.split("+"):
            self.found.append(KeyValue(role, name, span, label))
            if name == "name" and role not in self.names:
                cleaned = clean_value(name, span)
                if cleaned is not None:
                    self.names[role] = cleaned[0]


def sequence_role(anchors: list[tuple[int, str]], position: int) -> Optional[str]:
    """The role of the last party anchor before `position` in a sentence introducing both parties."""
    before = [role for start, role in anchors if start <= position]
    return before[-1] if before else None


def is_role_heading(text: str) -> bool:
    """A line that is one role, bracketed roles aside ("甲方（采购人）", "乙方"): the header of
    that party's block. A seal or signature mark ("甲方（盖章）") makes it a signature line."""
    compact = text.replace(" ", "")
    bare = BRACKETS.sub("", compact)
    return bare in vocab()["roles"] and all(
        BRACKETS.sub("", part) == "" and vocab()["inner_role"].fullmatch(part) is not None
        for part in BRACKETS.findall(compact))


def spaced_pair(line: Line) -> Optional[Row]:
    """'法定代表人 张三' or '乙方 名称 某公司': a label and its value parted by one space,
    as a text layer renders a form table without rules."""
    match = vocab()["spaced_pair"].match(line.text) or spaced_role(line.text)
    if not match:
        return None
    label = line.span.sub(match.start("label"), match.end("label"))
    value = line.span.sub(match.start("value"), match.end("value"))
    return Row(line, [Cell(label, 0), Cell(value, 1)], 2)


def spaced_role(text: str) -> Optional[regex.Match]:
    """'委托方（甲方） 某局' or '甲方 某公司': a party's role and its name parted by a space where
    a colon was lost; a bare role only before a name that ends like an organisation's."""
    match = vocab()["spaced_role"].match(text)
    if match is None or (match.group("inner") is None
                         and not match.group("value").endswith(vocab()["name_endings"])):
        return None
    return match


class Key(NamedTuple):
    """A label before a colon in a line: where it starts, its text, where its value starts."""

    start: int
    label: str
    end: int


def find_keys(text: str) -> list[Key]:
    """The labels of a line, each before its colon. A label may hold single spaces between
    Chinese characters ("账 号"); when the part after its last space is a label of its own
    and the whole is none, that part is the label and the rest ends the value before it
    ("项目联系人: 张三 联系电话: …", a form line a text layer parts with single spaces).
    After a key of the same line, a label that is none but ends in one is that label, the
    rest ending the value before it ("联系人:张三电话:…", where OCR lost the gap)."""
    keys = []
    for match in KEY_VALUE.finditer(text):
        label, start = match.group("k"), match.start("k")
        head, _, tail = label.rpartition(" ")
        if head and read_label(label)[:2] == (None, None) and read_label(tail)[:2] != (None, None):
            label, start = tail, start + len(head) + 1
        elif keys and not head and read_label(label)[:2] == (None, None):
            cut = label_ending(label)
            label, start = label[cut:], start + cut
        keys.append(Key(start, label, match.end()))
    return keys


def label_ending(label: str) -> int:
    """Where the longest known label that ends `label` (and is not all of it) starts, or 0."""
    for cut in range(1, len(label) - MIN_LABEL_CHARS + 1):
        if read_label(label[cut:])[:2] != (None, None):
            return cut
    return 0


def anchor_role(text: str) -> Optional[str]:
    """The role of a line that opens a party's block ("甲方：X", "乙方名称：Y"), else None."""
    match = KEY_VALUE.match(text.lstrip())
    if match is None:
        return None
    role, key, rest = read_label(match.group("k"))
    return role if key in (None, "name") and not rest else None


@lru_cache(maxsize=8192)
def read_label(label: str) -> tuple[Optional[str], Optional[str], str]:
    """(role, field, unread rest) of a label such as '甲方项目负责人及联系方式'."""
    v = vocab()
    compact = label.replace(" ", "").replace("\u3000", "").rstrip(":：")
    inner = v["inner_role"].search(compact)
    bare = BRACKETS.sub("", compact)
    role = v["roles"][inner.group(1)] if inner else None
    prefix = v["role_prefix"].match(bare)
    if prefix:
        role = role or v["roles"][prefix.group()]
        bare = bare[prefix.end():]
    if bare in v["roles"]:
        role, bare = role or v["roles"][bare], ""
    for suffix in v["suffixes"]:
        if bare.endswith(suffix) and len(bare) > len(suffix):
            bare = bare[: -len(suffix)]
    if not bare:
        return role, None, ""
    key = v["fields"].get(bare) or compound_key(bare)
    if key is None and inner and bare.endswith(v["party_nouns"]):  # "测评机构（乙方）": a party under another noun
        return role, None, ""
    return role, key, "" if key else bare


def compound_key(label: str) -> Optional[str]:
    """Fields of a label joining several ("开户行及账号" → "bank_name+bank_account", "地址/邮编" → "address")."""
    parts = [p for p in COMPOUND_LABEL.split(label) if p]
    if len(parts) < 2:
        return None
    v = vocab()
    keys = [v["fields"].get(p) for p in parts]
    if any(k is None and p not in v["other_labels"] for k, p in zip(keys, parts)):
        return None
    named = [k for k in dict.fromkeys(keys) if k is not None]
    return "+".join(named) or None


def _trim(span: Span) -> Optional[Span]:
    text = span.text
    stripped = text.strip(" \t;；。,，")
    if not stripped:
        return None
    start = text.index(stripped)
    return span.sub(start, start + len(stripped))


@lru_cache(maxsize=1)
def credit_code_spec() -> tuple[int, dict[int, str]]:
    """The length of a unified social credit code and its look-alike translation table."""
    spec = load("parties")["credit_code"]
    return spec["length"], str.maketrans(spec["look_alikes"])


def credit_code_read(code: str) -> str:
    """A tax id with, in a unified social credit code, the letters such a code never holds
    read as the digits OCR took them for (91330108MAOQ… → 91330108MA0Q…)."""
    length, look_alikes = credit_code_spec()
    return code.translate(look_alikes) if len(code) == length else code


def clean_value(key: str, span: Span) -> Optional[tuple[str, list[Span]]]:
    """The field value as the record holds it, with the span it came from."""
    text = span.text
    if any(w in text for w in vocab()["seal"]) and key in ("name", "representative", "signatory", "contact_person"):
        seal = vocab()["seal_pattern"].search(text)
        text = text[:seal.start()] if seal else text
    if key == "phone":
        match = PHONE.search(text)
        return (match.group(), [span.sub(match.start(), match.end())]) if match else None
    if key == "bank_account":
        match = ACCOUNT.search(text)
        if not match:
            return None
        return NON_DIGIT.sub("", match.group()), [span.sub(match.start(), match.end())]
    if key == "tax_id":
        match = TAX_ID.search(text.upper())
        if not match:
            return None
        sub = span.sub(match.start(), match.end())
        read_by_ocr = span.doc.confidence(sub) is not None  # a text file's code is kept as written
        return (credit_code_read(match.group()) if read_by_ocr else match.group()), [sub]
    if key in ("representative", "signatory", "contact_person"):
        match = PERSON.search(text.replace("*", " "))
        if not match:
            return None
        sub = span.sub(match.start(), match.end())
        if HAN_NAME.fullmatch(match.group()):  # a Chinese name, letter-spaced by OCR or a form ("张 三 丰") or not
            return match.group().replace(" ", ""), [sub]
        return as_written(sub), [sub]
    cut = VALUE_GAP.split(text.strip(), maxsplit=1)[0]
    if key == "bank_name":  # "开户行及账号: 某银行某支行 1100 2233 …"
        account = ACCOUNT.search(cut)
        cut = cut[:account.start()] if account else cut
    if key == "address":  # "地址/邮编: 某路9号 100000"
        cut = POSTCODE_TAIL.sub("", cut)
    stop = vocab()["value_stop"].search(cut)  # "某公司依据《…》…": a contract run on without line breaks
    cut = cut[:stop.start()] if stop else cut
    if key == "name":  # "某局（甲方）"
        cut = vocab()["role_tail"].sub("", cut)
    alias = ALIAS.search(cut)
    if alias:
        cut = cut[: alias.start()]
    cut = cut.strip()
    if not cut or cut in ("/", "无") or (key == "name" and (len(cut) > MAX_NAME_CHARS or cut.startswith("指"))):
        return None
    start = text.index(cut)
    sub = span.sub(start, start + len(cut))
    return as_written(sub), [sub]
