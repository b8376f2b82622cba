"""Extractor: contract metadata (number, title, project, dates, term, total, tax).

Labels and their synonyms come from extractors/vocab/metadata.toml. The title
is the heading that names the contract, past any web-page chrome (breadcrumbs,
navigation) an exported announcement carries above it. Statements of the
contract total are kept in `doc.statements.totals` so the cross-checks
can compare restatements; the record's total comes first there. An installment
("支付…第一笔…服务费用X元") or one fee ("扩展服务费用为X元") is no statement of the
total; among the statements the first plain one is the total, unless another is
supported by the document's own arithmetic (its price table's total, or a second
statement of the same figure) and it is not. A figure or period stated after words
naming another document (原合同…, in a supplementary agreement's recital) is that
document's, not this one's.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Optional

import regex

from extractors.common import (as_written, paragraph_sentences, price_table_lines, prose_lines, sentences,
                               spelled_as_written)
from extractors.lexicon import alternation, load
from extractors.statements import Statement
from extractors.values.cnmoney import CN_AMOUNT_PATTERN, find_cn_amounts, parse_cn_amount
from extractors.values.dates import DATE, months_between, parse_date
from extractors.values.numbers import (MONEY, NUMBER, PERCENT, WAN, as_float, money_end, money_value,
                                      parse_small_int, to_decimal)
from pipeline.document import ContractDoc, Line, Span
from pipeline.keyvalues import is_role_heading
from pipeline.textnorm import without_letter_spacing

BLANK_VALUE = regex.compile(r"^[_\-—\s/]*$")
CODE_CHARS = regex.compile(r"[0-9A-Za-z]")
MAX_TITLE_CHARS = 60
TITLE_SCAN_LINES = 60
TITLE_WINDOW = 8
TITLE_PROSE = regex.compile(r"[，,。；;！!？?]")
BREADCRUMB = regex.compile(r"\S\s*[>»›→]\s*\S")
#: The name of a body alone on a line: Chinese characters, with bracketed parts ("某市某局（某办）").
ORGANISATION = regex.compile(r"(?:\p{Han}|[(（]\p{Han}{1,12}[)）])+")
MAX_ORGANISATION_CHARS = 30
#: A project's name alone on a line: Chinese characters and digits, with bracketed parts.
PROJECT_LINE = regex.compile(r"(?:\p{Han}|\d|[(（][\p{Han}\d]{1,12}[)）])+")
BRACKETED = regex.compile(r"[(（][^()（）]{1,10}[)）]")
MAX_PROJECT_CONTINUATION_CHARS = 36
MAX_PROJECT_CONTINUATIONS = 3
PROJECT_LOOKAHEAD = 6
LIST_PREFIX = r"(?:[一二三四五六七八九十\d]{1,3}\s*[、.．]\s*|[(（]\s*[一二三四五六七八九十\d]{1,2}\s*[)）]\s*)?"
HEADING_START = regex.compile(r"^\s*(?:第\s*[一二三四五六七八九十百\d]+\s*[条章]|[一二三四五六七八九十]+\s*[、.．])")
TOTAL_WINDOW = 80
DIGITS_ONLY = regex.compile(r"\D")
RECITAL_WINDOW = 20
EQUALS = regex.compile(r"\s*[=＝]\s*")
PLUS = regex.compile(r"[+＋]")
TERM_WINDOW = 40
TOTAL_GAP = regex.compile(r"(?:[\s()（）:：为是约共计合人民币含税小写大写¥￥、,，的即" + "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正"
                          + r"]|[(（][^()（）\d]{1,12}[)）])*")
TITLE_TAIL = regex.compile(r"(?:服务|采购|租赁|租用)?(?:合同书?|协议书?)(?:[(（][^)）]{1,10}[)）])?")
BARE_DATE_LABEL = regex.compile(r"^\s*(?:签署|签订|签字)?日期\s*[:：]?\s*")
#: Right before a total label, these make it the amount excluding tax ("不含税金额", "未含税总价").
EXCL_TAX_BEFORE = regex.compile(r"(?:不|未)(?:含(?:增值)?税的?)?$")
TOTAL_TOLERANCE = Decimal("0.005")
PHRASE_START = regex.compile(r"[，,:：；;()（）]")
LIST_PREFIX_AT_START = regex.compile(r"^[\s\-•*]*" + LIST_PREFIX)
WORD = regex.compile(r"[\p{Han}A-Za-z]")
#: A bare figure under a label that states its unit: "合同金额（元）：312800.00", "(万元) 31.28".
YUAN_LABEL = regex.compile(r"\s*[(（]\s*(?:人民币)?\s*(?P<wan>万)?元\s*[)）]\s*[:：]?\s*(?:人民币)?\s*[¥￥]?\s*"
                           r"(?P<n>\d+(?:\.\d+)?)(?![\d.%])")
#: What links a figure to the total label after it: "（¥N），即本合同总价款", "元，系本协议总金额".
LINK_BEFORE_TOTAL = regex.compile(r"[)）]?\s*[,，]?\s*(?:即|也即|亦即)?\s*(?:为|是|系|作为|即)\s*(?:本|该)?\s*$")
#: After such a label: the end of the clause ("…即本合同总价款。", "…系本协议总金额，包括…").
TOTAL_LABEL_CLOSES = regex.compile(r"\s*(?:[(（][^()（）]{0,12}[)）])?\s*(?:$|[,，])")
#: Cells set apart in columns on one line: a table row, not a sentence.
COLUMN_GAP = regex.compile(r"\t| {3,}")
#: A few characters naming the service before a total label ("监理服务费总额为…", "运维合同总价…").
TOTAL_QUALIFIER = regex.compile(r"^\p{Han}{1,4}?(?=" + alternation(load("metadata")["labels"]["total"]) + r")")
#: The figure's 大写 in brackets after it, its closing bracket left to the link ("（大写：…元整").
BRACKETED_WORDS_AFTER = regex.compile(r"\s*[(（]\s*(?:人民币)?\s*(?:大写)?\s*[:：]?\s*(?:人民币)?\s*(?P<w>"
                                      + CN_AMOUNT_PATTERN.pattern + r")\s*")
#: Words of a sum of the parts stated before it ("以上各项合计", "上述费用总计").
SUMS_UP = regex.compile(r"以上|上述|前述|合计|共计|总计|总共|累计")
NOT_A_TERM = r"提前|内|前|后|满|延续|超过|不少于|至少|以上|以内"


@lru_cache(maxsize=None)
def patterns() -> dict[str, regex.Pattern]:
    vocab = load("metadata")
    label = lambda key: alternation(vocab["labels"][key])  # noqa: E731
    return {
        "contract_no": regex.compile(
            r"(?:" + label("contract_no") + r")\s*[:：]?\s*(?P<v>[^\s:：，,。；;]{0,60})"),
        **{f"project_name{i}": regex.compile(
            r"^\s*" + LIST_PREFIX + r"(?:" + alternation(words) + r")\s*[:：]\s*(?P<v>.*?)\s*$")
            for i, words in enumerate(vocab["labels"]["project_name"])},
        "signed_label": regex.compile(r"(?:" + label("signed_date") + r")\s*[:：]?\s*"),
        "signed_recital": regex.compile(r"于\s*(?P<date>" + DATE.pattern + r")[^。；;《》\n]{0," + str(RECITAL_WINDOW)
                                        + r"}?(?:" + alternation(vocab["signing_verbs"]) + r")"),
        **{f"term{i}": regex.compile(
            r"(?:" + alternation(words) + r")(?:(?!" + NOT_A_TERM + r")[^。；;\n]){0," + str(TERM_WINDOW) + r"}?(?<![\d.])(?P<n>\d{1,3}|[一二三四五六七八九十两]+)\s*"
            r"(?P<u>个月|年)(?!\s*\d{1,2}\s*月)(?!度|底|初)") for i, words in enumerate(vocab["labels"]["term"])},
        "total": regex.compile(r"(?P<strong>" + label("total") + r")|(?P<weak>" + label("total_weak") + r")"),
        "installment": regex.compile(alternation(vocab["installment_cues"])),
        "total_scope": regex.compile(alternation(vocab["total_scope_words"])),
        "payment_verb": regex.compile(alternation(vocab["payment_verbs"])),
        "sum_line": regex.compile(alternation(vocab["table_total_words"])),
        "term_heading": regex.compile(alternation(vocab["term_headings"])),
        "not_term_heading": regex.compile(alternation(vocab["not_term_headings"])),
        "chrome": regex.compile(alternation(vocab["chrome_words"])),
        "other_document": regex.compile(alternation(load("amounts")["other_documents"])),
        "excl_tax": regex.compile(r"(?:" + label("excl_tax") + r")\s*[:：为]?"),
        "tax_rate": regex.compile(
            r"(?:" + label("tax_rate") + r")\s*(?:为|是|[:：])?\s*(?P<n>\d+(?:\.\d+)?)\s*%"
            r"|(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s*%\s*的?\s*(?:" + label("tax_rate_after") + r")"),
        "period": regex.compile(
            r"(?P<a>" + DATE.pattern + r")\s*(?:起)?\s*(?:至|到|—|－|-|~|～)\s*(?P<b>" + DATE.pattern.replace("?P<", "?P<b_") + r")"),
    }


def extract(doc: ContractDoc) -> ContractDoc:
    meta = doc.record.contract
    body = [ln for ln in doc.lines if not ln.furniture]
    meta.title = _cite(doc, "contract.title", title(body))
    project = project_name(body)
    if project:
        meta.project_name = joined(project)
        doc.cite("contract.project_name", project)
    meta.contract_no = _cite(doc, "contract.contract_no", contract_no(doc))
    signed = signed_date(doc)
    if signed:
        meta.signed_date = signed[0].isoformat()
        doc.cite("contract.signed_date", signed[1])
    start_end = service_period(doc)
    if start_end:
        (start, a), (end, b) = start_end
        meta.start_date, meta.end_date = start.isoformat(), end.isoformat()
        doc.cite("contract.start_date", a)
        doc.cite("contract.end_date", b)
    term = term_months(doc)
    if term:
        meta.term_months = term[0]
        doc.cite("contract.term_months", term[1])
        doc.statements.term = term
    elif start_end:
        meta.term_months = months_between(start_end[0][0], start_end[1][0])
    totals = total_statements(doc)
    doc.statements.totals = totals
    if totals:
        first = totals[0]
        meta.total_amount = as_float(first[0].value)
        doc.cite("contract.total_amount", first[0].span)
        if first[1] is not None:
            meta.total_amount_in_words = spelled_as_written(first[1].span)
            doc.cite("contract.total_amount_in_words", first[1].span)
            doc.statements.total_in_words = first[1]
    excl = amount_excl_tax(doc)
    if excl:
        meta.amount_excl_tax = as_float(excl.value)
        doc.cite("contract.amount_excl_tax", excl.span)
    rate = tax_rate(doc)
    if rate:
        meta.tax_rate = float(rate[0])
        doc.cite("contract.tax_rate", rate[1])
    return doc


def _cite(doc: ContractDoc, path: str, found: Optional[list[Span]]) -> Optional[str]:
    if not found:
        return None
    doc.cite(path, found)
    return as_written(found)


def title(lines: list[Line]) -> Optional[list[Span]]:
    """The document heading: the first short line naming a contract past any page chrome and
    any document-type banner ("政府采购合同（服务类）"), else the first naming a service or
    purchase, else the first line; an organisation's or project's line right above it opens it."""
    candidates = [ln for ln in lines[:TITLE_SCAN_LINES]
                  if ln.text.strip() and "\t" not in ln.text and not is_chrome(ln.text)]
    window = candidates[:TITLE_WINDOW]
    vocab = load("metadata")
    past_banner = any(is_heading(ln.text, vocab["title_words"]) and not is_banner(ln.text) for ln in window)
    for words in (vocab["title_words"], vocab["weak_title_words"]):
        for i, line in enumerate(window):
            if past_banner and is_banner(line.text):
                continue
            following = candidates[i + 1].text.strip() if i + 1 < len(candidates) else ""
            tail = TITLE_TAIL.fullmatch(following) is not None
            if is_heading(line.text, words) or (tail and is_heading(line.text, vocab["weak_title_words"])):
                spans = [_stripped(line.span)]
                if tail:
                    spans.append(_stripped(candidates[i + 1].span))
                above = candidates[i - 1] if i > 0 else None
                if above is not None and above.number == line.number - 1 and is_heading_lead(above.text):
                    spans.insert(0, _stripped(above.span))  # "某市某局" ⏎ "某某服务合同": one heading
                return spans
    return [_stripped(candidates[0].span)] if candidates else None


def is_banner(text: str) -> bool:
    """A document-type label above the heading ("政府采购合同（服务类）"), not a contract's name."""
    return BRACKETED.sub("", text).strip() in load("metadata")["banner_lines"]


def is_heading_lead(text: str) -> bool:
    """The first line of a two-line heading: an organisation's name, the project's
    ("某市某某二期工程") or a standing programme's ("某市政务服务热线"), alone on a short line;
    a project line naming a service or purchase ("某某服务采购项目") is a heading of its own instead."""
    text = text.strip()
    vocab = load("metadata")
    if is_organisation_line(text):
        return True
    if not (0 < len(text) <= MAX_ORGANISATION_CHARS and PROJECT_LINE.fullmatch(text) is not None
            and not any(w in text for w in vocab["title_words"])):
        return False
    if text.endswith(tuple(vocab["programme_endings"])):
        return True
    return (text.endswith(tuple(vocab["heading_lead_endings"]))
            and not any(w in text for w in vocab["weak_title_words"]))


def is_organisation_line(text: str) -> bool:
    """A short line that is only the name of a public body or a company ("某市某某局"): the first
    line of a heading whose second line names the contract."""
    from pipeline.keyvalues import vocab as party_vocab

    text = text.strip()
    return (0 < len(text) <= MAX_ORGANISATION_CHARS and ORGANISATION.fullmatch(text) is not None
            and text.endswith(party_vocab()["name_endings"])
            and not any(w in text for w in load("metadata")["title_words"]))


def is_heading(text: str, words: list[str]) -> bool:
    """A short line holding one of `words`, with no label colon and no sentence marks."""
    text = text.strip()
    return (len(text) <= MAX_TITLE_CHARS and any(w in text for w in words)
            and not regex.search(r"[:：]", text) and not TITLE_PROSE.search(text))


def is_chrome(text: str) -> bool:
    """A line of the web page around an exported announcement: breadcrumbs, navigation."""
    text = text.strip()
    return (BREADCRUMB.search(text) is not None or patterns()["chrome"].search(text) is not None
            or text in load("metadata")["chrome_lines"])


def _stripped(span: Span) -> Span:
    text = span.text
    left = len(text) - len(text.lstrip())
    return span.sub(left, len(text.rstrip()))


def project_name(lines: list[Line]) -> Optional[list[Span]]:
    """The value of the strongest project label present (项目名称 before 合同名称), with the
    lines it wraps onto."""
    for i in range(len(load("metadata")["labels"]["project_name"])):
        pattern = patterns()[f"project_name{i}"]
        for n, line in enumerate(lines):
            match = pattern.match(line.text)
            if match and match.group("v").strip():
                return [line.span.sub(match.start("v"), match.end("v"))] + continuation(lines, n)
    return None


def continuation(lines: list[Line], number: int) -> list[Span]:
    """The lines a value on line `number` wraps onto: short lines that are no label, heading,
    date or title; the first may follow blank lines, the next ones follow directly."""
    spans: list[Span] = []
    for line in lines[number + 1:number + 1 + PROJECT_LOOKAHEAD]:
        text = line.text.strip()
        if not text:
            if spans:
                break
            continue
        if not continues_value(text) or len(spans) == MAX_PROJECT_CONTINUATIONS:
            break
        spans.append(_stripped(line.span))
    return spans


def continues_value(text: str) -> bool:
    return (len(text) <= MAX_PROJECT_CONTINUATION_CHARS and not regex.search(r"[:：\t]", text)
            and not TITLE_PROSE.search(text)
            and not regex.search(r"\d{4}\s*年\s*\d{1,2}\s*月", text) and not HEADING_START.match(text)
            and not any(w in text for w in load("metadata")["title_words"]) and not is_role_heading(text))


def joined(spans: list[Span]) -> Optional[str]:
    """Spans of a value wrapped over lines, as one string: the line breaks OCR or a text layer
    put inside a name are dropped, except between two Latin letters or digits; other
    whitespace is collapsed as in `as_written`."""
    pieces = [" ".join(without_letter_spacing(piece).split()) for span in spans for piece in span.raw_text.split("\n")]
    parts = [piece for piece in pieces if piece]
    if not parts:
        return None
    text = parts[0]
    for part in parts[1:]:
        words = text[-1].isascii() and text[-1].isalnum() and part[0].isascii() and part[0].isalnum()
        text += (" " if words else "") + part
    return text


def contract_no(doc: ContractDoc) -> Optional[list[Span]]:
    """The value of the first 合同编号-style label that holds a code (digits or Latin letters);
    a blank, or a value that is itself the next label ("合同编号：签订地点：…"), is none."""
    pattern = patterns()["contract_no"]
    for line in doc.lines:
        for match in pattern.finditer(line.text):
            value = match.group("v")
            if (value and not BLANK_VALUE.match(value) and CODE_CHARS.search(value)
                    and not regex.match(r"\s*[:：]", line.text[match.end("v"):])):
                return [line.span.sub(match.start("v"), match.end("v"))]
    return None


def signed_date(doc: ContractDoc) -> Optional[tuple[date, Span]]:
    """A full date on a 签订日期-style line, else a date standing alone after the clauses."""
    label = patterns()["signed_label"]
    for line in doc.lines:
        match = label.search(line.text) or BARE_DATE_LABEL.match(line.text)
        if match:
            found = DATE.search(line.text, match.end())
            if found and found.start() - match.end() <= 4 and whole_date(line.text, found):
                parsed = parse_date(found)
                if parsed:
                    return parsed, line.span.sub(found.start(), found.end())
    recital = recital_date(doc)
    if recital:
        return recital
    late = [s for s in doc.sections if s.kind in ("signature", "annex")]
    clauses = [s for s in doc.sections if s.kind == "clause"]
    start_line = clauses[-1].first_line if clauses else 0
    lines = [ln for ln in doc.lines[start_line:]]
    if late:
        lines = doc.lines[min(s.first_line for s in late):] + lines
    for line in lines:
        found = list(DATE.finditer(line.text))
        if found and not "".join(DATE.sub("", line.text).split()):  # dates only: one per signing party
            parsed = parse_date(found[0])
            if parsed:
                return parsed, line.span.sub(found[0].start(), found[0].end())
    return None


def recital_date(doc: ContractDoc) -> Optional[tuple[date, Span]]:
    """The date of the opening sentence that says when the parties sign ("本合同由双方于DATE在某地
    签订"): a sentence naming another document (《…》) states that document's date instead."""
    pattern = patterns()["signed_recital"]
    for line in prose_lines(doc, ("preamble",)):
        match = pattern.search(line.text)
        if match:
            found = DATE.match(line.text, match.start("date"))
            parsed = parse_date(found) if found else None
            if parsed:
                return parsed, line.span.sub(found.start(), found.end())
    return None


def whole_date(text: str, found: regex.Match) -> bool:
    """Whether a date match is one date as written, not "2026 年 5 月" run into the next
    cell's "2026…" (a day taken from another figure)."""
    day_end = found.end("d")
    return "\t" not in text[found.start():day_end] and not text[day_end:day_end + 1].isdigit()


def service_period(doc: ContractDoc) -> Optional[tuple[tuple[date, Span], tuple[date, Span]]]:
    """The first period from one date to a later one stated in the prose, past the periods a
    sentence states after naming another document (the original contract's)."""
    pattern = patterns()["period"]
    for sentence in sentences(doc, prose_lines(doc, ("preamble", "clause", "annex"))):
        text = sentence.text
        if "年" not in text and not any(mark in text for mark in ".-/"):
            continue  # no date in it: spare the long pattern
        for match in pattern.finditer(text):
            if names_another_document(text[:match.start()]):
                continue  # the original contract's period, recited by a supplementary agreement
            a = parse_date(match, "")
            b = parse_date(match, "b_")
            if a and b and b > a:
                return ((a, sentence.sub(match.start("a"), match.end("a"))),
                        (b, sentence.sub(match.start("b"), match.end("b"))))
            break
    return None


def term_months(doc: ContractDoc) -> Optional[tuple[int, Span]]:
    """The stated term; stronger labels (服务期限, 为期) win over weaker ones (提供), and a
    statement in the clause about the term (第四条 服务期限) over one elsewhere (a service's
    own 服务期 in the scope clause), unless only the weakest label (提供) states it there."""
    lines = prose_lines(doc, ("preamble", "clause"))
    about_term = term_clause_lines(doc)
    in_term_clause = [ln for ln in lines if ln.number in about_term]
    labels = len(load("metadata")["labels"]["term"])
    return term_in(in_term_clause, labels - 1) or term_in(lines, labels)


def term_clause_lines(doc: ContractDoc) -> set[int]:
    """Line numbers of the clauses whose heading is about the term."""
    heading, excluded = patterns()["term_heading"], patterns()["not_term_heading"]
    return {ln.number for s in doc.sections if s.kind == "clause"
            and heading.search(s.title) and not excluded.search(s.title) for ln in s.lines(doc)}


def term_in(lines: list[Line], strengths: int) -> Optional[tuple[int, Span]]:
    """The first term the strongest matching label among the `strengths` strongest states in `lines`."""
    for i in range(strengths):
        pattern = patterns()[f"term{i}"]
        for line in lines:
            for match in pattern.finditer(line.text):
                n = parse_small_int(match.group("n"))
                if n:
                    months = n * 12 if match.group("u") == "年" else n
                    return months, line.span.sub(match.start("n"), match.end("u"))
    return None


@dataclass(frozen=True)
class TotalReading:
    """One statement of the contract total in the body."""

    figure: Statement
    words: Optional[Statement]
    paying: bool  # inside a payment sentence ("甲方支付合同总价款…"): believed less than a plain statement


def total_statements(doc: ContractDoc) -> list[tuple[Statement, Optional[Statement]]]:
    """The statements of the contract total, the record's total first, the others in order.

    The record's total is the first plain statement, unless another one is supported by the
    document's arithmetic (its price table's total, a second statement of the same figure)
    and it is not. Installments and fees that are parts of the total are no statements of it.
    A total without its 大写 takes one stated apart ("合同金额大写：…") when the two agree.
    """
    readings, spelled = total_readings(doc)
    if not readings:
        spelled_sum = spelled_table_total(doc)
        return [spelled_sum] if spelled_sum is not None else []
    checks = table_total_figures(doc) + [r.figure.value for r in readings]
    supported = [sum(same_amount(r.figure.value, v) for v in checks) > 1 for r in readings]
    best = max(range(len(readings)), key=lambda k: (supported[k], not readings[k].paying, -k))
    chosen = readings[best]
    words = chosen.words or next((w for w in [r.words for r in readings if r.words] + spelled
                                  if same_amount(w.value, chosen.figure.value)), None)
    others = [(r.figure, r.words) for k, r in enumerate(readings) if k != best]
    return [(chosen.figure, words)] + others


def same_amount(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= TOTAL_TOLERANCE


def table_total_figures(doc: ContractDoc) -> list[Decimal]:
    """The figures closing the price tables' total lines (合计, 总价): what the tables add up to.

    Each counts twice, so that a statement equal to one is supported by it."""
    sum_line = patterns()["sum_line"]
    figures = []
    for line in (doc.lines[n] for n in sorted(price_table_lines(doc))):
        if sum_line.search(line.text):
            numbers = NUMBER.findall(line.text)
            value = to_decimal(numbers[-1]) if numbers else None
            if value is not None:
                figures += [value, value]
    return figures


def spelled_table_total(doc: ContractDoc) -> Optional[tuple[Statement, Statement]]:
    """The total of a contract that states it only on its price table's total line, in 大写
    and in figures ("合计 | 人民币…元整（¥N）"): the last such line whose two agree."""
    sum_line = patterns()["sum_line"]
    found = None
    for line in (doc.lines[n] for n in sorted(price_table_lines(doc))):
        if not sum_line.search(line.text):
            continue
        figures = list(MONEY.finditer(line.text))
        spelled = find_cn_amounts(line.text)
        if len(figures) != 1 or len(spelled) != 1:
            continue
        value, (w_start, w_end, w_value) = money_value(figures[0]), spelled[0]
        figure = line.span.sub(figures[0].start("n"), money_end(figures[0]))
        if value is not None and not same_amount(value, w_value) and separators_misread(doc, figure, w_value):
            doc.warn(f"line {line.number + 1}: the figure {figure.text} is read as {w_value:f}, as its 大写 "
                     f"says: OCR misplaced its separators")
            value = w_value
        if value is not None and same_amount(value, w_value):
            found = (Statement(value, figure, "total"), Statement(w_value, line.span.sub(w_start, w_end), "words"))
    return found


def separators_misread(doc: ContractDoc, figure: Span, value: Decimal) -> bool:
    """Whether a figure OCR read holds the digits of `value` in order, with its separators
    misplaced or lost (525.48000 for 525,480.00): then the 大写 beside it chooses the reading."""
    if doc.confidence(figure) is None:
        return False
    return DIGITS_ONLY.sub("", figure.text).rstrip("0") == DIGITS_ONLY.sub("", f"{value:.2f}").rstrip("0")


def total_readings(doc: ContractDoc) -> tuple[list[TotalReading], list[Statement]]:
    """Each statement of the contract total in the body's prose, one per sentence, in order,
    and the 大写 amounts stated alone under a contract-total label."""
    label = patterns()["total"]
    installment, paying = patterns()["installment"], patterns()["payment_verb"]
    found: list[TotalReading] = []
    spelled: list[Statement] = []
    # A 总价 line under a table is the table's total (line items); a sentence the table block
    # swallowed that opens with the contract's own total label ("合同总价：人民币…（¥…）") states it.
    in_tables = price_table_lines(doc)
    prose = prose_lines(doc, ("preamble", "clause"))
    firsts = [first for first, _ in paragraph_sentences(doc)]
    under_table = [ln for ln in prose if opens_with_total(ln.text)
                   and bisect_right(firsts, ln.number) > 0 and firsts[bisect_right(firsts, ln.number) - 1] in in_tables]
    lines = [ln for ln in prose if ln.number not in in_tables]
    stated = list(sentences(doc, lines)) + [part for ln in under_table for part in line_sentences(ln)]
    for sentence in sorted(stated, key=lambda span: span.start):
        text = sentence.text
        for match in label.finditer(text):
            before = text[:match.start()]
            if (EXCL_TAX_BEFORE.search(before) or (match.group("weak") and names_a_part(before))
                    or names_another_document(PHRASE_START.split(before)[-1] + match.group())):
                continue
            statement = total_after(sentence, match.end())
            if statement is None and match.group("strong"):
                statement = total_before(sentence, match.start(), match.end())
                if statement is not None:
                    found.append(TotalReading(statement[0], statement[1], False))
                    break
            if statement is None:
                words = spelled_after(sentence, match.end()) if match.group("strong") else None
                spelled += [words] if words is not None else []
                continue
            if installment.search(before) or (match.group("weak") and paying.search(before)):
                break  # an installment, or one fee paid: not the contract's total
            found.append(TotalReading(statement[0], statement[1], paying.search(before) is not None))
            break
    return found, spelled


def line_sentences(line: Line) -> list[Span]:
    """The sentences of one line, cut at 。；; (a line under a table is a paragraph of its own,
    whatever the sum line above it ends with)."""
    found, start = [], 0
    for match in regex.finditer(r"[。；;]", line.text):
        if line.text[start:match.start()].strip():
            found.append(line.span.sub(start, match.start()))
        start = match.end()
    if line.text[start:].strip():
        found.append(line.span.sub(start, len(line.text)))
    return found


def opens_with_total(text: str) -> bool:
    """Whether a line is a sentence opening with a label of the contract's own total
    ("合同总价：人民币…"); a label and its figure set apart in columns ("项目总价（元）    N")
    are the table's own sum row."""
    text = text.strip()
    match = patterns()["total"].match(TOTAL_QUALIFIER.sub("", LIST_PREFIX_AT_START.sub("", text), count=1))
    return match is not None and match.group("strong") is not None and not COLUMN_GAP.search(text)


def total_before(sentence: Span, start: int, end: int) -> Optional[tuple[Statement, Optional[Statement]]]:
    """The figure (and its 大写) stated right before a total label that closes the sentence's
    clause: "上述各项共计人民币…元整（¥N），即本合同总金额". The clause must sum up what came
    before it (以上, 上述, 合计 …) and hold no installment or payment; the 大写 in brackets
    right after the figure ("…元（大写：…元整），即本合同总价"), else the one nearest before it,
    is its words."""
    text = sentence.text
    if not TOTAL_LABEL_CLOSES.match(text, end):
        return None
    link = LINK_BEFORE_TOTAL.search(text[:start])
    if link is None:
        return None
    phrase_start = max(text.rfind(mark, 0, link.start()) for mark in "。；;") + 1
    phrase = text[phrase_start:link.start()]
    figures = list(MONEY.finditer(phrase))
    if not figures:
        return None
    figure = figures[-1]
    spelled_after_figure = BRACKETED_WORDS_AFTER.fullmatch(phrase, figure.end())
    if figure.end() != len(phrase.rstrip()) and spelled_after_figure is None:
        return None
    before = phrase[:figure.start()]
    if (not SUMS_UP.search(before) or patterns()["installment"].search(before)
            or patterns()["payment_verb"].search(before)):
        return None
    value = money_value(figure)
    if value is None:
        return None
    at = phrase_start
    statement = Statement(value, sentence.sub(at + figure.start("n"), at + money_end(figure)), "total")
    if spelled_after_figure is not None:
        w_value = parse_cn_amount(spelled_after_figure.group("w"))
        if w_value is not None:
            span = sentence.sub(at + spelled_after_figure.start("w"), at + spelled_after_figure.end("w"))
            return statement, Statement(w_value, span, "words")
    words = None
    for w_start, w_end, w_value in find_cn_amounts(before[-TOTAL_WINDOW:]):
        offset = at + max(0, len(before) - TOTAL_WINDOW)
        words = Statement(w_value, sentence.sub(offset + w_start, offset + w_end), "words")
    return statement, words


def names_another_document(text: str) -> bool:
    """Whether `text` names another document than this one ("原合同金额", "原合同与本协议金额合计"):
    the amount or period it states is that document's."""
    return patterns()["other_document"].search(text) is not None


def names_a_part(before: str) -> bool:
    """Whether the words before a fee label name one service ("扩展服务费用"), not the whole
    ("本合同项下服务费用"): what stands between the phrase's start and the label, less the
    words of scope, list markers and filler."""
    phrase = LIST_PREFIX_AT_START.sub("", PHRASE_START.split(before)[-1])
    return WORD.search(patterns()["total_scope"].sub("", phrase)) is not None


def total_after(sentence: Span, at: int) -> Optional[tuple[Statement, Optional[Statement]]]:
    """The figure (and its 大写) a total label at `at` states, when only filler parts them."""
    window = sentence.text[at:at + TOTAL_WINDOW]
    if PERCENT.match(window.lstrip(" 的")):
        return None
    if EQUALS.match(window):
        return total_of_sum(sentence, at)
    figure = figure_after(window)
    if figure is None:
        return None
    start, end, value = figure
    if regex.match(r"[\d.]", sentence.text[at + end:at + end + 1]) and end == len(window):
        return None  # the window's edge cut the figure: never read part of a number
    return Statement(value, sentence.sub(at + start, at + end), "total"), spelled_after(sentence, at)


def total_of_sum(sentence: Span, at: int) -> Optional[tuple[Statement, Optional[Statement]]]:
    """The total a label states as a sum ("合同总价 = 某费 X元 + 某费 Y元 = Z元"): Z, when the
    parts add up to it; a sum the document's arithmetic does not bear out states nothing sure."""
    text = sentence.text
    signs = list(EQUALS.finditer(text, at))
    if len(signs) != 2 or signs[0].start() != at:
        return None
    parts = [list(MONEY.finditer(part)) for part in PLUS.split(text[signs[0].end():signs[1].start()])]
    if len(parts) < 2 or any(len(found) != 1 for found in parts):
        return None
    values = [money_value(found[0]) for found in parts]
    result_at = signs[1].end()
    figure = figure_after(text[result_at:result_at + TOTAL_WINDOW])
    if figure is None or None in values or not same_amount(sum(values), figure[2]):
        return None
    start, end, value = figure
    return (Statement(value, sentence.sub(result_at + start, result_at + end), "total"),
            spelled_after(sentence, result_at + end))


def figure_after(window: str) -> Optional[tuple[int, int, Decimal]]:
    """(start, end, value in 元) of the figure opening `window`: a sum of money after filler
    only, or a bare number under a label that states its unit ("合同金额（元）：312800.00")."""
    in_yuan = YUAN_LABEL.match(window)
    if in_yuan:
        value = to_decimal(in_yuan.group("n"))
        if value is None:
            return None
        return in_yuan.start("n"), in_yuan.end("n"), value * WAN if in_yuan.group("wan") else value
    figure = MONEY.search(window)
    if not figure or not TOTAL_GAP.fullmatch(window[:figure.start()]):
        return None
    value = money_value(figure)
    return None if value is None else (figure.start("n"), money_end(figure), value)


def spelled_after(sentence: Span, at: int) -> Optional[Statement]:
    """The first 大写 amount in the window after a total label at `at`."""
    for w_start, w_end, w_value in find_cn_amounts(sentence.text[at:at + TOTAL_WINDOW]):
        return Statement(w_value, sentence.sub(at + w_start, at + w_end), "words")
    return None


def amount_excl_tax(doc: ContractDoc) -> Optional[Statement]:
    pattern = patterns()["excl_tax"]
    for sentence in sentences(doc, prose_lines(doc, ("preamble", "clause", "annex"))):
        match = pattern.search(sentence.text)
        if not match:
            continue
        figure = MONEY.search(sentence.text, match.end(), match.end() + TOTAL_WINDOW)
        if figure:
            value = money_value(figure)
            if value is not None:
                return Statement(value, sentence.sub(figure.start("n"), money_end(figure)), "excl_tax")
    return None


def tax_rate(doc: ContractDoc) -> Optional[tuple[Decimal, Span]]:
    pattern = patterns()["tax_rate"]
    for line in prose_lines(doc, ("preamble", "clause", "annex")):
        match = pattern.search(line.text)
        if match:
            value = to_decimal(match.group("n"))
            if value is not None and value < 100:
                return value / 100, line.span.sub(match.start("n"), match.end())
    return None
