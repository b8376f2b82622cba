"""Write a contract's facts out as a document: cover, parties, clauses, signatures, annexes.

Every figure comes from the facts as stated (after error injection); the style
fixes the wording choices; the random generator only varies phrasing that the
record does not depend on.

The layout families write here too: a fee breakdown states the total as
本合同项下服务费总额 and then its parts (其中：（1）A为人民币Y元，大写：…，包括：…；
（2）…), a capped part's cap again in a later clause (the supplier's duties or the
closing clause) with the same words 最终结算金额不得超过; part installments pay
"合同服务费总金额的30%即（大写）…（¥X元）" and then a percent of one part; share
installments read 第N次分期支付金额为X元，所占总合同金额百分之N.
"""
from __future__ import annotations

import random
from decimal import Decimal
from typing import Callable

from extractors.values.cnmoney import format_cn_amount
from pipeline.synth import boilerplate as bp
from pipeline.synth import tabulate, textforms
from pipeline.synth.facts import Facts, Installment
from pipeline.synth.model import Block, Document, Heading, PageBreak, Paragraph, Signature, TwoColumns
from pipeline.synth.penalties import PenaltyTerm
from pipeline.synth.style import Style

ITEM_NUMBERS = ("{n}、", "（{n}）", "{n}. ")
# The party details of the opening, in order; "bank" is bank and account under one joined label.
DETAILS = ("representative", "address", "contact_person", "phone", "bank", "bank_name", "bank_account", "tax_id")


class Composer:
    def __init__(self, facts: Facts, style: Style, rng: random.Random):
        self.f, self.s, self.rng = facts, style, rng
        self.doc = Document()
        self.clauses = 0
        self.item_number = rng.choice(ITEM_NUMBERS)
        self.annexes = self._annex_plan()
        self.contacts_apart = bool(self.contact_lines()) and rng.random() < 0.3  # a clause of their own
        # the clause that restates a capped part's cap (both come after the money clause)
        self.cap_place = rng.choice(("supplier", "misc")) if facts.capped_part is not None else None
        self.share_form = style.share_installments and facts.payment_scheme == "percent_amount"

    # -- small helpers -----------------------------------------------------------

    def colon(self, label: str, value: str) -> str:
        return f"{label}{self.s.colon}{value}"

    def role_line(self, label: str, name: str) -> str:
        """"甲方：X", or with the name under its bare anchor; letter-spaced when the style spaces party lines."""
        text = f"{label}{self.s.colon.rstrip()}\n{name}" if self.s.name_below else self.colon(label, name)
        return textforms.letter_spaced(text) if self.s.letter_spacing == "title_parties" else text

    def amount(self, value) -> str:
        return textforms.amount(value, self.s.number_format)

    def yuan(self, value) -> str:
        return self.rng.choice(("人民币 {a} 元", "¥{a} 元", "{a} 元", "人民币¥ {a} 元", "{a}元")).format(
            a=self.amount(value))

    def heading(self, kind: str) -> Heading:
        self.clauses += 1
        title = self.rng.choice(bp.HEADINGS[kind])
        n = self.clauses
        numbered = {"chinese": f"第{textforms.cn_number(n)}条 {title}",
                    "arabic": f"第 {n} 条 {title}",
                    "list": f"{textforms.cn_number(n)}、{title}"}[self.s.clause_numbering]
        return Heading(numbered, 1)

    def items(self, sentences: list[str], number: str | None = None) -> list[Paragraph]:
        """Numbered items of a clause (a single sentence stays unnumbered)."""
        if len(sentences) == 1:
            return [Paragraph(sentences[0])]
        return [Paragraph((number or self.item_number).format(n=n) + text, list_item=True)
                for n, text in enumerate(sentences, start=1)]

    def sample(self, pool: tuple[str, ...], low: int, high: int) -> list[str]:
        return self.rng.sample(pool, self.rng.randint(low, min(high, len(pool))))

    def _annex_plan(self) -> dict[str, int]:
        """Annex numbers by kind: the price table, the order form, the penalty table."""
        kinds = []
        if self.s.order_form:
            kinds.append("form")
        if self.s.table_place == "annex" and not (self.s.order_form and self.rng.random() < 0.5):
            kinds.append("table")
        if any(t.place == "annex" for t in self.f.penalties):
            kinds.append("penalty")
        plan = {kind: n for n, kind in enumerate(kinds, start=1)}
        if self.s.table_place == "annex" and "table" not in plan:
            plan["table"] = plan["form"]  # the price table sits in the order-form annex
        return plan

    # -- the document ------------------------------------------------------------------

    def compose(self) -> Document:
        self.cover()
        self.opening()
        for clause in self.clause_order():
            clause()
        self.signature()
        self.annex_blocks()
        self.doc.page_header = self.page_header()
        return self.doc

    def clause_order(self) -> list[Callable[[], None]]:
        head = [self.content, self.term] if self.rng.random() < 0.7 else [self.term, self.content]
        middle = [self.quality, self.money] if self.rng.random() < 0.6 else [self.money, self.quality]
        duties = [self.client_duties, self.supplier_duties]
        if self.contacts_apart:
            duties.append(self.contacts_clause)
        return head + middle + duties + [self.secrecy, self.liability, self.dispute, self.misc]

    def cover(self) -> None:
        f, s = self.f, self.s
        title = f.title if s.letter_spacing == "none" else textforms.letter_spaced(f.title)
        self.doc.add(Heading(title, 0), Paragraph(self.colon("项目名称", f.project)))
        if f.contract_no_form == "stated":
            self.doc.add(Paragraph(self.colon("合同编号", f.contract_no)))
        elif f.contract_no_form == "blank":
            self.doc.add(Paragraph(self.colon("合同编号", "_____")))
        self.doc.add(Paragraph(self.role_line(s.roles[0], f.client.name)),
                     Paragraph(self.role_line(s.roles[1], f.supplier.name)))
        if s.cover_page:
            self.doc.add(Paragraph(textforms.year_month(f.signed, self.rng)), PageBreak())

    def party_details(self, role: str) -> dict[str, tuple[str, str]]:
        """(label, value) of each detail the opening states for a party, by DETAILS name."""
        party, labels, joined = self.f.party(role), self.s.labels, self.s.compound_labels
        here = {name for (r, name), where in self.f.placements.items() if r == role and "opening" in where}
        details = {}
        if "representative" in here:
            details["representative"] = (labels["representative"], party.representative)
        if "address" in here:
            details["address"] = ((joined["address"], f"{party.address} {party.postcode}") if "address" in joined
                                  else (labels["address"], party.address))
        if "contact" in here:
            details["contact_person"] = (labels["contact_person"], party.contact_person)
            details["phone"] = (joined.get("phone", labels["phone"]), party.phone)
        if "bank" in here and "bank" in joined:
            details["bank"] = (joined["bank"], f"{party.bank_name} {party.account_written}")
        elif "bank" in here:
            details["bank_name"] = (labels["bank_name"], party.bank_name)
            details["bank_account"] = (labels["bank_account"], party.account_written)
        if "tax_id" in here:
            details["tax_id"] = (labels["tax_id"], party.tax_id)
        return details

    def opening(self) -> None:
        f, s = self.f, self.s
        if s.party_columns:
            self.doc.add(self.opening_columns())
        else:
            for role, role_label, side in zip(("client", "supplier"), s.roles, ("甲方", "乙方")):
                self.doc.add(*(Paragraph(line) for line in self.party_lines(role, role_label, side)))
        self.doc.add(Paragraph(self.rng.choice(bp.PREAMBLES).format(project=f.project)))

    def party_lines(self, role: str, role_label: str, side: str) -> list[str]:
        """One party's opening block, a line per detail."""
        suffix = f" (以下简称{side})" if self.rng.random() < 0.3 else ""
        lines = [self.role_line(role_label, self.f.party(role).name + suffix)]
        for name, (label, value) in self.party_details(role).items():
            if name == "phone" and self.rng.random() < 0.25:  # on the contact person's line
                lines[-1] += "  " + self.colon(label, value)
            else:
                lines.append(self.colon(label, value))
        return lines

    def opening_columns(self) -> TwoColumns:
        """The opening as two columns on shared lines; a detail one party leaves out keeps its bare label."""
        f, s = self.f, self.s
        rows = [(self.colon(s.roles[0], f.client.name), self.colon(s.roles[1], f.supplier.name))]
        client, supplier = self.party_details("client"), self.party_details("supplier")
        for name in DETAILS:
            if name in client or name in supplier:
                label = (client.get(name) or supplier[name])[0]
                rows.append(tuple(self.colon(label, side[name][1] if name in side else "")
                                  for side in (client, supplier)))
        return TwoColumns(rows)

    # -- clauses -----------------------------------------------------------------------

    def restated_parts(self) -> str:
        parts = []
        for r in self.f.restatements:
            what, word = self.f.items[r.item].service.restate
            value = textforms.plain(r.value)
            parts.append(f"{what} 共 {value} {word}" if word in ("核", "个") else f"{what} {value}{word}")
        return "、".join(parts)

    def content(self) -> None:
        f, s = self.f, self.s
        sentences = self.sample(bp.CONTENT, 1, 2)
        if f.restatements and f.restate_first:
            sentences.append(bp.RESTATE_BEFORE.format(parts=self.restated_parts()))
        table: list[Block] = []
        if s.table_place == "body":
            sentences.append(bp.TABLE_INTRO_CATALOGUE if f.catalogue else self.rng.choice(bp.TABLE_INTRO_BODY))
            table = tabulate.price_table(f, s, self.rng)
        elif s.quantity_only:
            sentences.append(self.rng.choice(bp.QUANTITY_TABLE_REFERENCE).format(n=self.annexes["table"]))
        else:
            sentences.append(bp.TABLE_REFERENCE.format(n=self.annexes["table"]))
        self.doc.add(self.heading("content"), *self.items(sentences), *table)

    def term(self) -> None:
        term = self.f.term
        if term.form == "relative":
            text = f"本合同服务期限自合同签订之日起 {term.months} 个月。"
        elif term.form == "one_year":
            text = "合同有效期自双方签字盖章之日起一年。"
        elif term.form == "plain":
            text = f"乙方为甲方提供为期 {term.months} 个月的政务云服务。"
        else:
            start, end = textforms.cn_date(term.start), textforms.cn_date(term.end)
            if term.form == "dates":
                text = self.colon("服务期限", f"{start}至{end}。")
            elif self.rng.random() < 0.5:
                text = self.colon("服务期限", f"{start}至{end}，共 {term.stated_months} 个月。")
            else:
                text = f"服务期为 {term.stated_months} 个月，自{start}起至{end}止。"
        self.doc.add(self.heading("term"), Paragraph(text))

    def quality(self) -> None:
        f = self.f
        r_part = "" if f.reliability is None else \
            self.rng.choice(bp.RELIABILITY_PARTS).format(r=textforms.percent(f.reliability))
        sla = self.rng.choice(bp.SLA_FORMS).format(a=textforms.percent(f.availability), r_part=r_part)
        sentences = self.sample(bp.QUALITY, 1, 2)
        sentences.insert(self.rng.randint(0, len(sentences)), sla)
        self.doc.add(self.heading("quality"), *self.items(sentences))

    def total_sentence(self) -> str:
        f = self.f
        if f.catalogue:
            text = bp.CATALOGUE_TOTAL.format(amount=self.amount(f.total))
            if f.total_words:
                text = text.replace("元，", f"元（大写：{format_cn_amount(f.total_words_value)}），", 1)
            return text
        if f.parts:
            return self.breakdown_total()
        figure = self.amount(f.total)
        if not f.total_words:
            return self.rng.choice(("本合同总金额为{y}。", "合同总价：{y}。")).format(y=self.yuan(f.total))
        words = format_cn_amount(f.total_words_value)
        if self.s.yen_total:  # the figure after the 大写, with ¥ and without 元
            return f"本合同总价为人民币（大写）{words}（¥{textforms.amount(f.total, 'thousands')}）。"
        forms = ("本合同总金额为人民币 {a} 元（大写：{w}）。",
                 "项目服务费用（含税）为：人民币（大写）{w}（小写：¥ {a} 元）。",
                 "本项目总计费用为人民币¥ {a} 元, 大写: {w}。")
        return self.rng.choice(forms).format(a=figure, w=words)

    def breakdown_total(self) -> str:
        """The total a breakdown follows: 本合同项下服务费总额为人民币X元，大写：…。"""
        f = self.f
        words = f"，大写：{format_cn_amount(f.total_words_value)}" if f.total_words else ""
        provisional = bp.BREAKDOWN_PROVISIONAL if self.rng.random() < 0.4 else ""
        return f"本合同项下服务费总额为人民币{self.spaced(f.total)}元{words}{provisional}。"

    def spaced(self, value: Decimal) -> str:
        """A figure between 人民币 and 元, with or without spaces around it."""
        return f" {self.amount(value)} " if self.s.number_format == "thousands" else self.amount(value)

    def breakdown(self) -> list[Paragraph]:
        """The parts of the total, each with its nested parts after 包括："""
        f = self.f
        words = f.total_words or self.rng.random() < 0.5

        def stated(j: int) -> str:
            part = f.parts[j]
            text = f"{part.label}为人民币{self.spaced(part.amount)}元"
            if words:
                text += f"，大写：{format_cn_amount(part.amount)}"
            if part.capped:
                text += bp.CAP_CLAUSE.format(cap=self.spaced(part.amount))
            return text

        paragraphs = []
        tops = [j for j, part in enumerate(f.parts) if part.parent is None]
        for n, j in enumerate(tops, start=1):
            text = stated(j)
            nested = [stated(k) for k, part in enumerate(f.parts) if part.parent == j]
            if nested:
                text += "，包括：" + "；".join(nested)
            paragraphs.append(Paragraph(f"{'其中：' if n == 1 else ''}（{n}）{text}。"))
        if self.rng.random() < 0.5:
            paragraphs.append(Paragraph(bp.BREAKDOWN_CLOSING))
        return paragraphs

    def cap_restatement(self) -> str:
        part = self.f.parts[self.f.capped_part]
        return self.rng.choice(bp.CAP_RESTATEMENTS).format(label=part.label, cap=self.spaced(part.cap_later))

    def tax_sentence(self) -> str:
        f = self.f
        rate = textforms.percent(f.tax_rate)
        if f.excl_tax is None:
            return f"本合同适用增值税税率为 {rate}。"
        forms = ("其中不含税金额为人民币 {x} 元，增值税税率 {r}。", "适用税率为 {r}，不含税价 {x} 元。")
        form = self.rng.choice(forms)
        if f.parts:  # 其中 introduces the breakdown's parts next
            form = forms[1]
        return form.format(x=self.amount(f.excl_tax), r=rate)

    def with_tax(self, total: str) -> str:
        """The total sentence and what the contract says of tax: its own sentence, or
        "含6%增值税" (and the amount without tax) inside the total's sentence."""
        f = self.f
        if f.tax_rate is None:
            return total
        if not self.s.tax_inline or f.catalogue:
            return total + self.tax_sentence()
        excl = "" if f.excl_tax is None else f"，不含税金额为人民币 {self.amount(f.excl_tax)} 元"
        return f"{total.removesuffix('。')}，含{textforms.percent(f.tax_rate)}增值税{excl}。"

    def tax_alone(self) -> str:
        """What the contract says of tax when no sentence states the total."""
        f = self.f
        rate = textforms.percent(f.tax_rate)
        if f.excl_tax is None:
            return bp.TAX_ALONE.format(r=rate)
        return bp.TAX_ALONE_EXCLUDED.format(r=rate, x=self.amount(f.excl_tax))

    def share(self, percent: Decimal) -> str:
        """A share of the total: 30% or 百分之三十, as the contract writes rates."""
        if self.s.rate_form == "chinese":
            return "合同总金额的" + (textforms.chinese_rate(percent) or textforms.percent(percent))
        return f"合同总金额的 {textforms.percent(percent)}"

    def fee(self, inst: Installment) -> str:
        """A yearly fee as written: a figure, or a figure and its 大写."""
        if inst.words_value is None:
            return self.yuan(inst.amount)
        return f"{self.amount(inst.amount)}元（大写：{format_cn_amount(inst.words_value)}）"

    def hundredths(self, percent: Decimal) -> str:
        """百分之N: the count of hundredths in figures (30) or in Chinese (三十)."""
        count = percent * 100
        if count == count.to_integral_value() and self.s.rate_form == "chinese":
            return textforms.cn_number(int(count))
        return textforms.plain(count)

    def share_sentence(self, k: int, inst: Installment) -> str:
        """第N次分期支付金额为X元，所占总合同金额百分之N; the balance with its share only."""
        n, share = k + 1, self.hundredths(inst.percent)
        if inst.amount is None:
            return f"第{n}次分期支付为合同余款，所占总合同金额百分之{share}，支付条件{self.s.colon}{inst.condition}。"
        money = f"{self.amount(inst.amount)}元"
        if inst.words_value is not None:
            money += f"（大写：{format_cn_amount(inst.words_value)}）"
        if self.rng.random() < 0.5:
            return f"第{n}次分期支付金额为{money}，所占总合同金额百分之{share}，支付条件{self.s.colon}{inst.condition}。"
        return f"{inst.condition}，甲方向乙方支付第{n}次分期款项，第{n}次分期支付金额为{money}，所占总合同金额百分之{share}。"

    def part_sentence(self, k: int, inst: Installment) -> str:
        """An installment of the part-installment scheme: a percent of the total or of one
        part, with its amount in figures or in 大写 and ¥; or the rest settled on usage."""
        name = bp.PART_NAME.format(k=k + 1) + self.s.colon
        if inst.form == "settle":
            return f"{name}{inst.condition}，甲方根据实际使用情况向乙方结算其余服务费用。"
        base = "合同服务费总金额" if inst.part is None else self.f.parts[inst.part].label
        rate = textforms.percent(inst.percent)
        if self.s.rate_form == "chinese":
            rate = textforms.chinese_rate(inst.percent) or rate
        if inst.form == "words":
            money = f"即（大写）{format_cn_amount(inst.words_value)}（¥{textforms.amount(inst.amount, 'thousands')}元）"
        else:
            money = f"，即人民币{self.amount(inst.amount)}元"
        return f"{name}{inst.condition}，甲方向乙方支付{base}的{rate}{money}。"

    def installment_sentence(self, k: int, inst: Installment, count: int) -> str:
        if self.f.payment_scheme == "of_part":
            return self.part_sentence(k, inst)
        if self.share_form:
            return self.share_sentence(k, inst)
        if inst.form == "at_once":
            return f"{inst.condition}，甲方一次性支付全部合同款。"
        if inst.form == "yearly":
            return f"甲方于{inst.condition}支付当年度服务费{self.fee(inst)}。"
        name = bp.FINAL_NAME if k == count - 1 and count > 1 else bp.INSTALLMENT_NAMES[k]
        share = self.share(inst.percent) if inst.percent is not None else ""
        if inst.form == "none":
            if inst.percent is None:
                return inst.condition + "。"
            return f"{name}{self.s.colon}{inst.condition}，甲方向乙方支付{share}。"
        if inst.form == "wan":
            money = f"人民币 {textforms.wan(inst.amount)} 万元"
        elif inst.form == "words":
            money = f"人民币（大写）{format_cn_amount(inst.words_value)}（小写：¥ {self.amount(inst.amount)} 元）"
        else:
            money = self.yuan(inst.amount)
        if inst.percent is not None:
            return f"{name}{self.s.colon}{inst.condition}，甲方向乙方支付{share}，即{money}。"
        return f"{name}{self.s.colon}{inst.condition}，甲方向乙方支付{money}。"

    def money(self) -> None:
        f, labels = self.f, self.s.labels
        if f.total_in_body:
            first = [self.with_tax(self.total_sentence())]
        else:
            first = [self.tax_alone()] if f.tax_rate is not None else []
        installments = [self.installment_sentence(k, inst, len(f.installments))
                        for k, inst in enumerate(f.installments)]
        heading = self.heading("money")
        intro = bp.PAYMENT_INTRO[-1] if f.payment_scheme in ("at_once", "yearly") else self.rng.choice(bp.PAYMENT_INTRO)
        if self.share_form:
            intro = bp.SHARE_INTRO.format(n=len(f.installments))
        # a breakdown numbers its parts （1）（2）: the clause's own items are then 1、2、
        numbered = self.items(first + [intro], "{n}、" if f.parts and self.item_number == "（{n}）" else None)
        if f.parts:  # the parts right after the total they split
            numbered[1:1] = self.breakdown()
        blocks: list[Block] = [heading, *numbered]
        blocks += [Paragraph(text) for text in installments]
        if "payment" in f.where("supplier", "bank"):
            blocks += [Paragraph(self.rng.choice(bp.BANK_INTRO)),
                       Paragraph(self.colon("户名", f.supplier.name)),
                       Paragraph(self.colon(labels["bank_name"], f.supplier.bank_name)),
                       Paragraph(self.colon(labels["bank_account"], f.supplier.account_written))]
        self.doc.add(*blocks)

    def penalty_sentences(self, place: str) -> list[str]:
        terms: list[PenaltyTerm] = [t for t in self.f.penalties if t.place == place]
        return [t.sentence for t in terms]

    def client_duties(self) -> None:
        self.doc.add(self.heading("client"), *self.items(self.sample(bp.CLIENT_DUTIES, 2, 4)))

    def contact_lines(self) -> list[str]:
        lines = []
        for role, side in (("client", "甲方"), ("supplier", "乙方")):
            if "contacts" in self.f.where(role, "contact"):
                party = self.f.party(role)
                lines.append(self.rng.choice(bp.CONTACT_LINES).format(
                    side=side, colon=self.s.colon, name=party.contact_person, phone=party.phone))
        return lines

    def supplier_duties(self) -> None:
        sentences = self.sample(bp.SUPPLIER_DUTIES, 2, 4) + self.penalty_sentences("obligations")
        if self.f.restatements and not self.f.restate_first:
            sentences.insert(1, bp.RESTATE_AFTER.format(parts=self.restated_parts()))
        if self.cap_place == "supplier":
            sentences.append(self.cap_restatement())
        blocks: list[Block] = [self.heading("supplier"), *self.items(sentences)]
        lines = [] if self.contacts_apart else self.contact_lines()
        if lines:
            blocks += [Paragraph(bp.CONTACTS_INTRO)] + [Paragraph(line + "。") for line in lines]
        self.doc.add(*blocks)

    def contacts_clause(self) -> None:
        lines = self.contact_lines()
        self.doc.add(self.heading("contacts"), Paragraph(bp.CONTACTS_INTRO),
                     *(Paragraph(line + "；") for line in lines))

    def secrecy(self) -> None:
        sentences = self.sample(bp.SECRECY, 1, 3) + self.penalty_sentences("confidentiality")
        self.doc.add(self.heading("secrecy"), *self.items(sentences))

    def liability(self) -> None:
        sentences = self.sample(bp.LIABILITY, 1, 2) + self.penalty_sentences("liability")
        if "penalty" in self.annexes:
            sentences.append(bp.PENALTY_ANNEX_REFERENCE.format(n=self.annexes["penalty"]))
        self.doc.add(self.heading("liability"), *self.items(sentences))

    def dispute(self) -> None:
        self.doc.add(self.heading("dispute"), *self.items(self.sample(bp.DISPUTE, 1, 2)))

    def misc(self) -> None:
        sentences = self.sample(bp.MISC, 2, 4)
        if self.f.total_later is not None:
            sentences.insert(0, self.rng.choice(bp.LATER_TOTAL).format(amount=self.amount(self.f.total_later)))
        if self.cap_place == "misc":
            sentences.insert(0, self.cap_restatement())
        self.doc.add(self.heading("misc"), *self.items(sentences))

    # -- signatures and annexes ---------------------------------------------------------

    def signing_date(self) -> str:
        f = self.f
        if not f.signed_full:
            return textforms.year_month(f.signed, self.rng)
        return textforms.cn_numeral_date(f.signed) if self.s.cn_dates else textforms.full_date(f.signed, self.rng)

    def date_line(self) -> str:
        day = self.signing_date()
        return self.rng.choice(("日期{c}{d}", "签订日期{c}{d}", "{d}")).format(c=self.s.colon, d=day)

    def signature(self) -> None:
        f, s = self.f, self.s
        if self.rng.random() < 0.5:
            self.doc.add(Paragraph(bp.NO_MORE_TEXT))
        if s.signature == "table":
            self.doc.add(PageBreak(), tabulate.signature_table(f, s), Paragraph(self.date_line()))
            return
        if s.signing_line:  # both parties side by side, over one line holding each party's date
            day = self.signing_date()
            seals = tuple(f"{label}（盖章）{s.colon}{party.name}" for party, label in zip((f.client, f.supplier), s.roles))
            self.doc.add(TwoColumns([seals, ("法定代表人或授权代表（签字）：",) * 2, (day, day)]))
            return
        columns = []
        for party, role_label in zip((f.client, f.supplier), s.roles):
            columns.append([f"{role_label}（盖章）{s.colon}{party.name}", "法定代表人或授权代表（签字）：",
                            self.date_line()])
        self.doc.add(Signature(columns))

    def annex_blocks(self) -> None:
        for kind, n in sorted(self.annexes.items(), key=lambda kv: kv[1]):
            if kind == "table" and self.annexes.get("form") == n:
                continue  # written inside the order-form annex
            titles = bp.ANNEX_TITLES["quantity" if kind == "table" and self.s.quantity_only else kind]
            title = f"附件{n} {self.rng.choice(titles)}"
            blocks: list[Block] = [PageBreak(), Heading(title, 2)]
            if kind == "form":
                blocks.append(tabulate.order_form(self.f, self.s))
                if self.annexes.get("table") == n:
                    blocks += tabulate.price_table(self.f, self.s, self.rng)
            elif kind == "table":
                blocks += tabulate.price_table(self.f, self.s, self.rng)
            else:
                blocks.append(tabulate.penalty_annex(self.f))
            self.doc.add(*blocks)

    def page_header(self) -> list[str]:
        f, kind = self.f, self.s.page_header
        if kind == "contract_no" and f.contract_no_form == "stated":
            return [self.colon("合同编号", f.contract_no)]
        if kind == "logo":
            return [f"{f.supplier.short}云", "Cloud Service"]
        return []


def compose(facts: Facts, style: Style, rng: random.Random) -> Document:
    return Composer(facts, style, rng).compose()
