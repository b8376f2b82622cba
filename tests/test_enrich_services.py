"""Normalized service names and categories (issue 10, point 3): invented names."""
import pytest

from extractors.lexicon import load
from pipeline.enrich.services import CATEGORIES, describe_service, normalize_service


@pytest.mark.parametrize("spelling", [
    "普通存储（IOPS 不低于 1500）",
    "普通存储(IOPS不低于1500)",
    "普通 存储（IOPS 不低于 １５００）",
    "普通存储 ( IOPS 不低于 1500 )",
    "普通存储【IOPS不低于1500】",
    "普通存储［IOPS　不低于1500］",
    "普通存储\t（iops 不低于\n1500）",
])
def test_spellings_of_one_service_give_one_name(spelling):
    assert describe_service(spelling) == ("普通存储(IOPS不低于1500)", "storage")


def test_ocr_splits_and_full_width_are_undone():
    assert normalize_service("通用型云主机 vCP U") == normalize_service("通用型云主机vCPU") == "通用型云主机vCPU"
    assert normalize_service("ｘ８６ 云主机—vCPU （主频不低于 ２.５ GHz)") == "x86云主机-vCPU(主频不低于2.5GHz)"
    assert normalize_service("主机入侵检测与防 护") == "主机入侵检测与防护"
    assert normalize_service("物理服务器（2 路 32 核 /512GB 内存）") == "物理服务器(2路32核/512GB内存)"


def test_spaces_between_latin_words_stay():
    assert normalize_service("商用操作系统 （ Windows  Server ）") == "商用操作系统(Windows Server)"
    assert normalize_service("SSL VPN 接入") == "SSL VPN接入"


def test_case_of_units_is_kept():
    # Gb (gigabit) is not GB (gigabyte)
    assert normalize_service("1 Gb 专线带宽") == "1Gb专线带宽"


def test_blank_names():
    assert describe_service(None) == (None, "other")
    assert describe_service("   ") == (None, "other")
    assert describe_service(None, unit="vCPU") == (None, "compute")


@pytest.mark.parametrize("name, category", [
    ("弹性云主机-vCPU", "compute"),
    ("裸金属服务器租用（64核/1TB内存）", "compute"),
    ("弹性云主机-内存", "memory"),
    ("高性能云盘", "storage"),
    ("异地容灾备份", "storage"),
    ("互联网出口带宽", "bandwidth"),
    ("弹性公网 IP", "bandwidth"),
    ("应用负载均衡", "bandwidth"),
    ("推理 GPU 云主机（显存不低于 48GB）", "GPU"),
    ("大模型智算算力", "GPU"),
    ("云主机防病毒", "security"),
    ("Web 应用防火墙 WAF", "security"),
    ("数据库审计", "security"),
    ("国产数据库套餐（含安装及维护）", "software"),
    ("国产操作系统授权", "software"),
    ("驻场运维服务", "operations"),
    ("机柜托管", "other"),
    ("咖啡机", "other"),
])
def test_category_from_name(name, category):
    assert describe_service(name)[1] == category


def test_latin_keywords_match_whole_words_only():
    assert describe_service("RAID 阵列")[1] == "other"      # not "AI"
    assert describe_service("AI 推理服务")[1] == "GPU"


@pytest.mark.parametrize("name, unit, category", [
    ("通用规格 A", "vCPU", "compute"),
    ("通用规格 A", "TFLOPS", "GPU"),
    ("通用规格 A", "Mbps", "bandwidth"),
    ("通用规格 A", "GB", "storage"),
    ("规格 A 内存", "GB", "memory"),
    ("弹性云主机", "GB", "storage"),          # a resource category gives way to the unit
    ("弹性云主机（8GB 内存）", "GB", "memory"),
    ("抗 DDoS 防护带宽", "Mbps", "security"),  # a specific category keeps the name's
    ("GPU 云主机", "GPU", "GPU"),
    ("弹性云主机", "host", "compute"),        # no hint from a count unit
])
def test_unit_hint(name, unit, category):
    assert describe_service(name, unit=unit)[1] == category


def test_categories_come_from_the_vocabulary():
    spec = load("services")
    names = [c["name"] for c in spec["categories"]]
    assert set(CATEGORIES) == {"compute", "memory", "storage", "bandwidth", "GPU", "security",
                               "software", "operations", "other"}
    assert list(CATEGORIES) == names
