"""Extractor: contract metadata (number, title, project, dates, term, total, tax).

Labels and their synonyms come from extractors/vocab/metadata.toml. Every
statement of the contract total is kept in `doc.facts["total_statements"]` so
the cross-checks can compare restatements; the first one in the body is the
record's total.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Optional

import regex

from extractors.common import Statement, as_written, price_table_lines, prose_lines, sentences
from extractors.lexicon import alternation, load
from extractors.values.cnmoney import find_cn_amounts
from extractors.values.dates import DATE, months_between, parse_date
from extractors.values.numbers import MONEY, PERCENT, as_float, money_end, money_value, parse_small_int, to_decimal
from pipeline.document import ContractDoc, Line, Span

BLANK_VALUE = regex.compile(r"^[_\-—\s/]*$")
MAX_TITLE_CHARS = 60
MAX_PROJECT_CONTINUATION_CHARS = 24
TOTAL_WINDOW = 80
TERM_WINDOW = 40
TOTAL_GAP = regex.compile(r"(?:[\s()（）:：为是约共计合人民币含税小写大写¥￥、,，的即" + "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正"
                          + r"]|[(（][^()（）\d]{1,12}[)）])*")
TITLE_TAIL = regex.compile(r"(?:服务|采购|租赁|租用)?(?:合同书?|协议书?)(?:[(（][^)）]{1,10}[)）])?")
BARE_DATE_LABEL = regex.compile(r"^\s*(?:签署|签订|签字)?日期\s*[:：]?\s*")
NOT_A_TERM = r"提前|内|前|后|满|延续|超过|不少于|至少|以上|以内"


@lru_cache(maxsize=None)
def patterns() -> dict[str, regex.Pattern]:
    vocab = load("metadata")
    label = lambda key: alternation(vocab["labels"][key])  # noqa: E731
    return {
        "contract_no": regex.compile(
            r"(?:" + label("contract_no") + r")\s*[:：]?\s*(?P<v>[^\s:：，,。；;]{0,60})"),
        "project_name": regex.compile(r"^\s*(?:" + label("project_name") + r")\s*[:：]\s*(?P<v>.*?)\s*$"),
        "signed_label": regex.compile(r"(?:" + label("signed_date") + r")\s*[:：]?\s*"),
        **{f"term{i}": regex.compile(
            r"(?:" + alternation(words) + r")(?:(?!" + NOT_A_TERM + r")[^。；;\n]){0," + str(TERM_WINDOW) + r"}?(?<![\d.])(?P<n>\d{1,3}|[一二三四五六七八九十两]+)\s*"
            r"(?P<u>个月|年)(?!\s*\d{1,2}\s*月)(?!度|底|初)") for i, words in enumerate(vocab["labels"]["term"])},
        "total": regex.compile(r"(?:" + label("total") + r")"),
        "excl_tax": regex.compile(r"(?:" + label("excl_tax") + r")\s*[:：为]?"),
        "tax_rate": regex.compile(
            r"(?:" + label("tax_rate") + r")\s*(?:为|是|[:：])?\s*(?P<n>\d+(?:\.\d+)?)\s*%"
            r"|(?P<n>\d+(?:\.\d+)?)\s*%\s*的?\s*(?:" + label("tax_rate_after") + r")"),
        "period": regex.compile(
            r"(?P<a>" + DATE.pattern + r")\s*(?:起)?\s*(?:至|到|—|－|-|~|～)\s*(?P<b>" + DATE.pattern.replace("?P<", "?P<b_") + r")"),
    }


def extract(doc: ContractDoc) -> ContractDoc:
    meta = doc.record.contract
    body = [ln for ln in doc.lines if not ln.furniture]
    meta.title = _cite(doc, "contract.title", title(body))
    meta.project_name = _cite(doc, "contract.project_name", project_name(body))
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
        doc.facts["term_statement"] = term
    elif start_end:
        meta.term_months = months_between(start_end[0][0], start_end[1][0])
    totals = total_statements(doc)
    doc.facts["total_statements"] = totals
    if totals:
        first = totals[0]
        meta.total_amount = as_float(first[0].value)
        doc.cite("contract.total_amount", first[0].span)
        if first[1] is not None:
            meta.total_amount_in_words = as_written(first[1].span)
            doc.cite("contract.total_amount_in_words", first[1].span)
            doc.facts["total_in_words"] = first[1]
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
    """The document heading: the first short line naming an agreement."""
    words = load("metadata")["title_words"]
    candidates = [ln for ln in lines[:60] if ln.text.strip() and "\t" not in ln.text]
    for i, line in enumerate(candidates[:8]):
        text = line.text.strip()
        if len(text) <= MAX_TITLE_CHARS and any(w in text for w in words) and not regex.search(r"[:：]", text):
            spans = [_stripped(line.span)]
            following = candidates[i + 1].text.strip() if i + 1 < len(candidates) else ""
            if TITLE_TAIL.fullmatch(following):
                spans.append(_stripped(candidates[i + 1].span))
            return spans
    return [_stripped(candidates[0].span)] if candidates else None


def _stripped(span: Span) -> Span:
    text = span.text
    left = len(text) - len(text.lstrip())
    return span.sub(left, len(text.rstrip()))


def project_name(lines: list[Line]) -> Optional[list[Span]]:
    pattern = patterns()["project_name"]
    for i, line in enumerate(lines):
        match = pattern.match(line.text)
        if not match or not match.group("v").strip():
            continue
        spans = [line.span.sub(match.start("v"), match.end("v"))]
        following = [ln for ln in lines[i + 1:i + 6] if ln.text.strip()]
        if following:
            nxt = following[0].text.strip()
            if (len(nxt) <= MAX_PROJECT_CONTINUATION_CHARS and not regex.search(r"[:：\t]", nxt)
                    and not regex.search(r"\d{4}\s*年\s*\d{1,2}\s*月", nxt)
                    and not any(w in nxt for w in load("metadata")["title_words"][:3])):
                spans.append(_stripped(following[0].span))
        return spans
    return None


def contract_no(doc: ContractDoc) -> Optional[list[Span]]:
    pattern = patterns()["contract_no"]
    for line in doc.lines:
        for match in pattern.finditer(line.text):
            value = match.group("v")
            if value and not BLANK_VALUE.match(value) and any(ch.isalnum() for ch in value):
                return [line.span.sub(match.start("v"), match.end("v"))]
    return None


def signed_date(doc: ContractDoc) -> Optional[tuple[date, Span]]:
    """A full date on a 签订日期-style line, else a date standing alone after the clauses."""
    label = patterns()["signed_label"]
    for line in doc.lines:
        match = label.search(line.text) or BARE_DATE_LABEL.match(line.text)
        if match:
            found = DATE.search(line.text, match.end())
            if found and found.start() - match.end() <= 4:
                parsed = parse_date(found)
                if parsed:
                    return parsed, line.span.sub(found.start(), found.end())
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


def service_period(doc: ContractDoc) -> Optional[tuple[tuple[date, Span], tuple[date, Span]]]:
    pattern = patterns()["period"]
    for sentence in sentences(doc, prose_lines(doc, ("preamble", "clause", "annex"))):
        text = sentence.text
        if "年" not in text and not any(mark in text for mark in ".-/"):
            continue  # no date in it: spare the long pattern
        match = pattern.search(text)
        if not match:
            continue
        a = parse_date(match, "")
        b = parse_date(match, "b_")
        if a and b and b > a:
            return ((a, sentence.sub(match.start("a"), match.end("a"))),
                    (b, sentence.sub(match.start("b"), match.end("b"))))
    return None


def term_months(doc: ContractDoc) -> Optional[tuple[int, Span]]:
    """The stated term; stronger labels (服务期限, 为期) win over weaker ones (提供)."""
    lines = prose_lines(doc, ("preamble", "clause"))
    for i in range(len(load("metadata")["labels"]["term"])):
        pattern = patterns()[f"term{i}"]
        for line in lines:
            for match in pattern.finditer(line.text):
                n = parse_small_int(match.group("n"))
                if n:
                    months = n * 12 if match.group("u") == "年" else n
                    return months, line.span.sub(match.start("n"), match.end("u"))
    return None


def total_statements(doc: ContractDoc) -> list[tuple[Statement, Optional[Statement]]]:
    """Each (figure, 大写) statement of the contract total in the body, in order."""
    label = patterns()["total"]
    found: list[tuple[Statement, Optional[Statement]]] = []
    in_tables = price_table_lines(doc)  # a 总价 line under a table is the table's total (line items)
    lines = [ln for ln in prose_lines(doc, ("preamble", "clause")) if ln.number not in in_tables]
    for sentence in sentences(doc, lines):
        text = sentence.text
        for match in label.finditer(text):
            window_end = min(len(text), match.end() + TOTAL_WINDOW)
            window = text[match.end():window_end]
            if PERCENT.match(window.lstrip(" 的")):
                continue
            figure = MONEY.search(window)
            if not figure or not TOTAL_GAP.fullmatch(window[:figure.start()]):
                continue
            value = money_value(figure)
            if value is None:
                continue
            statement = Statement(value, sentence.sub(match.end() + figure.start("n"), match.end() + money_end(figure)),
                                  "total")
            words = None
            for w_start, w_end, w_value in find_cn_amounts(window):
                words = Statement(w_value, sentence.sub(match.end() + w_start, match.end() + w_end), "words")
                break
            found.append((statement, words))
            break
    return found


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
