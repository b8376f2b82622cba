"""Payment schedules (issue 10, point 4): due date, due period, computed amounts. Invented contracts."""
from datetime import date
from decimal import Decimal

import pytest

from pipeline.enrich.payments import Schedule, add_working_days, due, schedule
from schemas import ContractMeta, ContractRecord, Payment


def record(*payments: Payment, total=1_000_000.0, signed="2026-03-06") -> ContractRecord:
    return ContractRecord(document="x.txt", contract=ContractMeta(total_amount=total, signed_date=signed),
                          payments=list(payments))


# --- due dates and periods ------------------------------------------------------------------

@pytest.mark.parametrize("condition, expected", [
    ("2026年9月30日前", date(2026, 9, 30)),
    ("2026 年 12 月 5 日前通过银行转账支付", date(2026, 12, 5)),
    ("２０２６年１０月８日之前支付", date(2026, 10, 8)),
    ("甲方于2026.11.20前付清", date(2026, 11, 20)),
    ("2025 年底前支付", date(2025, 12, 31)),
    ("2026年2月底前支付", date(2026, 2, 28)),
    ("2026年1月1日至2026年6月30日的服务费于2026年7月15日前支付", date(2026, 7, 15)),
])
def test_stated_dates(condition, expected):
    assert due(condition) == (expected, None)


@pytest.mark.parametrize("condition, period", [
    ("验收合格后10个工作日内", "10 working days after acceptance"),
    ("项目终验合格后 30 个工作日内", "30 working days after final acceptance"),
    ("2027年财政预算批复后", "after FY2027 budget approval"),
    ("甲方在 2028 年财政预算批复到账后【15】个工作日内支付", "15 working days after FY2028 budget approval"),
    ("财政资金拨付到位后 20 日内", "20 days after budget funds arrival"),
    # the event nearest before the offset is the trigger
    ("合同签订后，甲方收到乙方开具的发票后 5 个工作日内", "5 working days after invoice"),
    ("服务期满并经考核合格后十五个工作日内", "15 working days after assessment"),
    ("甲方于每年度开始后30日内支付当年度服务费", "30 days after start of each year"),
    ("每季度结束后 10 个工作日内", "10 working days after end of each quarter"),
    ("甲方应在2027年完成支付", "in 2027"),
    ("合同期内后6个月服务费，甲方应在2027年完成账单核对及支付", "in 2027"),
    ("乙方提交材料，甲方 5 个工作日内支付", "within 5 working days"),
    ("经甲方最终验收合格后支付", "after final acceptance"),
])
def test_periods(condition, period):
    assert due(condition) == (None, period)


def test_nothing_stated():
    assert due(None) == (None, None)
    assert due("") == (None, None)
    assert due("甲方按实际使用量结算") == (None, None)


def test_due_date_from_signing():
    signed = date(2026, 3, 6)  # a Friday
    assert due("合同签订后15日内", signed) == (date(2026, 3, 21), "15 days after signing")
    assert due("合同签订生效后 5 个工作日内", signed) == (date(2026, 3, 13), "5 working days after signing")
    assert due("自合同签订之日起 1 个月内", signed) == (date(2026, 4, 6), "1 month after signing")
    # without a signed date the period only
    assert due("合同签订后15日内") == (None, "15 days after signing")
    # an offset counted from another event is not computed
    assert due("合同签订后，甲方收到发票后15日内", signed) == (None, "15 days after invoice")


def test_deadline_of_an_event_gives_date_and_event():
    assert due("2026 年 12 月 5 日前完成阶段验收，甲方支付服务费") == (date(2026, 12, 5), "after stage acceptance")


def test_due_date_from_a_stated_start():
    assert due("2026年1月1日起10个工作日内") == (date(2026, 1, 15), "10 working days after 2026-01-01")


def test_stated_deadline_and_rule_together():
    got = due("待 2025 年底前完成部署并通过阶段性验收后，甲方在收到发票后 5 个工作日内", date(2025, 6, 1))
    assert got == (date(2025, 12, 31), "5 working days after invoice")


def test_working_days_skip_weekends_only():
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)     # Friday → Monday
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)     # Saturday → Monday
    assert add_working_days(date(2026, 3, 9), 5) == date(2026, 3, 16)
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 5)   # 国庆 is not known


# --- amounts --------------------------------------------------------------------------------

def test_stated_amount_is_kept_as_decimal():
    p = Payment(seq=1, percent=0.3, amount=300000.1, condition="合同签订后10日内")
    got = schedule(p, record(p, total=1000000.33))
    assert got.amount == Decimal("300000.10") and got.amount_computed is False
    assert isinstance(got, Schedule) and got.due_date == date(2026, 3, 16)


def test_percent_only_is_computed_from_the_total():
    first = Payment(seq=1, percent=0.3, condition="合同签订后10个工作日内")
    second = Payment(seq=2, percent=0.7, condition="终验合格后10个工作日内")
    rec = record(first, second, total=2303911.33)
    assert schedule(first, rec).amount == Decimal("691173.40")   # 691173.399 rounded to the 分
    assert schedule(first, rec).amount_computed is True
    assert schedule(second, rec).amount == Decimal("1612737.93")


def test_percent_with_agreeing_amounts_elsewhere():
    a = Payment(seq=1, percent=0.4, amount=400000.0)
    b = Payment(seq=2, percent=0.6)
    assert schedule(b, record(a, b)).amount == Decimal("600000.00")


@pytest.mark.parametrize("payments", [
    # percents sum beyond 1: they are shares of something else (e.g. of each year's fee)
    [Payment(seq=1, percent=0.6), Payment(seq=2, percent=0.6)],
    # another installment's amount says the percent is of another base
    [Payment(seq=1, percent=0.6, amount=150000.0), Payment(seq=2, percent=0.4)],
    # fixed amounts plus the shares exceed the total
    [Payment(seq=1, amount=900000.0), Payment(seq=2, percent=0.4)],
])
def test_percent_of_another_base_is_not_computed(payments):
    got = schedule(payments[-1], record(*payments))
    assert got.amount is None and got.amount_computed is False


def test_no_total_or_no_percent():
    p = Payment(seq=1, percent=0.5)
    assert schedule(p, record(p, total=None)).amount is None
    q = Payment(seq=1, condition="按实际使用量结算")
    assert schedule(q, record(q)) == Schedule(None, None, None, False)
