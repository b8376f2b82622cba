"""The service catalogue the generator draws price-table rows from.

Pure data: billing units (how they are written, their SCHEMA.md base unit and
factor), and the cloud services a government cloud contract buys, each with name
variants, its table section, the offers it is sold under (unit, price basis,
unit-price and quantity ranges) and the configurations a 配置 column gives it.
The first offer of a service is its customary one: a row that states no unit is
always drawn from an offer in its unit, so the base unit follows from the
service as SCHEMA.md requires. A quantity-only 服务清单 names each category's
service class in a column of its own (CLASS_NAMES).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Unit:
    key: str
    texts: tuple[str, ...]    # as a unit cell or note writes it
    base: str                 # SCHEMA.md base unit
    factor: Decimal           # base units per billing unit
    counted: tuple[str, ...]  # as written right after a quantity ("20TB", "100核"); () when never


def _u(key: str, base: str, factor: str, texts: tuple[str, ...], counted: tuple[str, ...] = ()) -> Unit:
    return Unit(key, texts, base, Decimal(factor), counted)


# 项 counts a service package, so it is the thing counted (SCHEMA.md's rule for 个): a set.
UNITS: dict[str, Unit] = {u.key: u for u in [
    _u("vcpu", "vCPU", "1", ("1CPU", "1 vCPU", "1核", "1 核"), ("核", "vCPU")),
    _u("gb", "GB", "1", ("1GB", "1 GB", "GB"), ("GB",)),
    _u("100gb", "GB", "100", ("100GB", "100 GB")),
    _u("tb", "GB", "1000", ("1TB", "1 TB", "TB"), ("TB",)),
    _u("mb", "Mbps", "1", ("1Mb", "1 Mb", "1Mbps", "1M"), ("Mb", "Mbps", "M")),
    _u("gbps", "Mbps", "1000", ("1Gb", "1 Gb", "1Gbps"), ("Gb", "Gbps")),
    _u("ip", "IP", "1", ("1IP", "1 IP", "1个"), ("个",)),
    _u("lb_ip", "IP", "1", ("1IP", "1 IP"), ("个",)),
    _u("set", "set", "1", ("1套", "套", "1 套"), ("套", "项")),
    _u("host", "host", "1", ("1台", "台", "1 台"), ("台",)),
    _u("vm", "host", "1", ("1个云主机", "1 个云主机"), ("个云主机",)),
    _u("account", "account", "1", ("1账号", "1个账号"), ("个账号",)),
    _u("site", "site", "1", ("1站点", "1个站点"), ("个站点",)),
    _u("rack", "rack", "1", ("1架", "1 架"), ("架",)),
    _u("channel", "channel", "1", ("1路", "路"), ("路",)),
    _u("gpu", "GPU", "1", ("1GPU", "1卡", "1 GPU"), ("卡",)),
    _u("tflops", "TFLOPS", "1", ("1TFLOPS",), ("TFLOPS",)),
    _u("pflops", "TFLOPS", "1000", ("1P", "1PFLOPS"), ("P",)),
    _u("point", "monitoring_point", "1", ("1监控点", "1个监控点"), ("个监控点",)),
    _u("piece", "piece", "1", ("1张", "张")),
]}


@dataclass(frozen=True)
class Offer:
    unit: str                      # key into UNITS
    basis: str                     # month | year | time | piece
    price: tuple[str, str, int]    # low, high, decimal places
    quantity: tuple[str, str, int] # low, high, decimal places


@dataclass(frozen=True)
class Service:
    key: str
    category: str                  # key into CATEGORIES
    names: tuple[str, ...]
    offers: tuple[Offer, ...]
    restate: tuple[str, str] | None = None  # (what, base-unit word) for body restatements


def _o(unit: str, basis: str, price: tuple[str, str, int], quantity: tuple[str, str, int]) -> Offer:
    return Offer(unit, basis, price, quantity)


CATEGORIES: dict[str, tuple[str, str]] = {
    # key: (category section name, basic/extended tier)
    "compute": ("计算服务", "basic"),
    "storage": ("存储服务", "basic"),
    "network": ("网络服务", "basic"),
    "security": ("安全服务", "extended"),
    "software": ("基础软件服务", "extended"),
    "other": ("其他服务", "extended"),
}

SERVICES: tuple[Service, ...] = (
    Service("vcpu", "compute",
            ("云主机服务-vCPU", "x86 云主机-vCPU（主频不低于 2.5GHz）", "通用型云主机 vCPU",
             "ARM 架构云主机-vCPU（主频不低于 2.6GHz）", "信创云主机-vCPU"),
            (_o("vcpu", "month", ("8", "28", 0), ("16", "2400", 0)),),
            ("云主机 vCPU", "核")),
    Service("memory", "compute",
            ("云主机服务-内存", "x86 云主机-内存", "内存资源", "信创云主机-内存"),
            (_o("gb", "month", ("4", "40", 0), ("32", "6000", 0)),),
            ("内存", "GB")),
    Service("std_storage", "storage",
            ("普通存储（IOPS 不低于 1500）", "块存储-普通性能云盘", "普通性能存储"),
            (_o("gb", "month", ("0.08", "0.35", 2), ("1000", "90000", 0)),
             _o("100gb", "month", ("8", "30", 0), ("10", "900", 1))),
            ("普通存储", "GB")),
    Service("ssd_storage", "storage",
            ("高性能存储（IOPS 不低于 6000）", "SSD 云盘", "高性能块存储"),
            (_o("gb", "month", ("0.2", "0.8", 2), ("500", "30000", 0)),
             _o("100gb", "month", ("18", "60", 0), ("5", "300", 1))),
            ("高性能存储", "GB")),
    Service("object_storage", "storage",
            ("对象存储服务", "静态存储（大容量、可线性扩展至 PB 级）", "归档存储服务"),
            (_o("tb", "month", ("28", "90", 0), ("1", "300", 2)),)),
    Service("backup", "storage",
            ("本地备份服务", "异地备份服务", "云主机快照备份"),
            (_o("gb", "month", ("0.3", "1.5", 2), ("1000", "80000", 0)),
             _o("100gb", "month", ("30", "120", 0), ("10", "800", 0)))),
    Service("bandwidth", "network",
            ("互联网带宽", "互联网链路带宽", "政务外网带宽", "BGP 多线带宽"),
            (_o("mb", "month", ("0.8", "60", 1), ("10", "2000", 0)),
             _o("gbps", "month", ("2500", "9000", 0), ("1", "10", 0))),
            ("带宽", "Mbps")),
    Service("public_ip", "network",
            ("公网 IP 地址", "互联网 IP 地址（含备案服务）", "弹性公网 IP"),
            (_o("ip", "month", ("1", "60", 0), ("1", "60", 0)),),
            ("公网 IP 地址", "个")),
    Service("lb", "network",
            ("负载均衡服务", "主机负载均衡"),
            (_o("lb_ip", "month", ("10", "300", 0), ("1", "40", 0)),)),
    Service("vpn", "network",
            ("SSL VPN 接入服务", "IPSec VPN 服务"),
            (_o("set", "month", ("50", "600", 0), ("1", "20", 0)),)),
    Service("waf", "security",
            ("Web 应用防火墙（WAF）服务", "WAF 防护服务"),
            (_o("set", "month", ("300", "3000", 0), ("1", "20", 0)),
             _o("site", "month", ("200", "2000", 0), ("1", "30", 0)))),
    Service("ddos", "security",
            ("云端抗 DDoS 服务", "DDoS 流量清洗服务"),
            (_o("site", "month", ("500", "5000", 0), ("1", "5", 0)),)),
    Service("apt", "security",
            ("APT 高级威胁防护服务",),
            (_o("set", "month", ("300", "2500", 0), ("1", "3", 0)),)),
    Service("antivirus", "security",
            ("主机杀毒服务", "云主机防病毒服务"),
            (_o("host", "month", ("5", "150", 0), ("10", "400", 0)),
             _o("host", "year", ("100", "1500", 0), ("10", "400", 0)))),
    Service("host_protect", "security",
            ("主机防护服务", "主机入侵检测与防护"),
            (_o("host", "month", ("20", "400", 0), ("10", "400", 0)),
             _o("host", "year", ("300", "3600", 0), ("10", "400", 0)))),
    Service("vuln_scan", "security",
            ("主机漏洞扫描", "漏洞扫描服务"),
            (_o("host", "time", ("100", "1200", 0), ("10", "300", 0)),)),
    Service("hardening", "security",
            ("主机安全加固", "操作系统安全加固"),
            (_o("host", "time", ("150", "1500", 0), ("10", "300", 0)),)),
    Service("tamper", "security",
            ("网页防篡改服务",),
            (_o("point", "month", ("100", "900", 0), ("1", "20", 0)),
             _o("site", "month", ("100", "900", 0), ("1", "20", 0)))),
    Service("db_audit", "security",
            ("数据库审计服务", "数据库安全审计"),
            (_o("set", "month", ("300", "1500", 0), ("1", "40", 0)),
             _o("set", "year", ("3000", "15000", 0), ("1", "40", 0)))),
    Service("log_audit", "security",
            ("日志审计服务", "主机日志审计服务"),
            (_o("host", "month", ("50", "1200", 0), ("1", "60", 0)),)),
    Service("bastion", "security",
            ("运维堡垒机服务",),
            (_o("set", "month", ("500", "3000", 0), ("1", "4", 0)),
             _o("account", "month", ("20", "200", 0), ("5", "80", 0)))),
    Service("remote", "network",
            ("远程接入服务", "远程运维接入"),
            (_o("account", "month", ("50", "800", 0), ("1", "60", 0)),)),
    Service("os_win", "software",
            ("Windows Server 操作系统套餐", "商用操作系统套餐（Windows Server）"),
            (_o("set", "month", ("80", "400", 0), ("1", "80", 0)),
             _o("vm", "month", ("80", "400", 0), ("1", "80", 0)),
             _o("set", "year", ("1000", "4000", 0), ("1", "80", 0)))),
    Service("os_cn", "software",
            ("国产操作系统套餐", "开源操作系统套餐（含安装及维护）"),
            (_o("set", "month", ("20", "200", 0), ("5", "300", 0)),)),
    Service("db_pkg", "software",
            ("国产数据库套餐", "开源数据库套餐", "商用数据库套餐（含安装及维护）"),
            (_o("set", "month", ("80", "800", 0), ("1", "60", 0)),
             _o("set", "year", ("1000", "8000", 0), ("1", "60", 0)))),
    Service("middleware", "software",
            ("中间件套餐", "国产中间件套餐"),
            (_o("set", "month", ("100", "900", 0), ("1", "30", 0)),)),
    Service("gpu", "compute",
            ("GPU 云主机（显存不低于 24GB）", "GPU 计算服务", "图形图像计算服务-GPU"),
            (_o("gpu", "month", ("800", "6000", 0), ("1", "16", 0)),)),
    Service("ai_compute", "compute",
            ("智算算力服务（FP16）", "AI 训练算力资源"),
            (_o("pflops", "month", ("20000", "60000", 0), ("1", "10", 0)),
             _o("tflops", "month", ("20", "80", 0), ("50", "2000", 0)))),
    Service("rack", "other",
            ("标准机柜租用（42U）", "托管机柜服务"),
            (_o("rack", "month", ("3000", "9000", 0), ("1", "10", 0)),)),
    Service("physical", "compute",
            ("物理服务器租用（2 路 32 核/512GB 内存）", "物理服务器租用（4 路 24 核/1TB 内存）"),
            (_o("host", "month", ("1500", "6000", 0), ("1", "10", 0)),)),
    Service("video", "other",
            ("视频接入服务", "视频云解析-人脸识别", "视频云存储管理"),
            (_o("channel", "month", ("20", "600", 0), ("10", "500", 0)),)),
)

CATALOGUE_ONLY: tuple[Service, ...] = (
    Service("ssl_cert", "security", ("SSL 证书（OV 单域名）", "SSL 证书（通配符）"),
            (_o("piece", "piece", ("500", "3000", 0), ("1", "1", 0)),)),
)

# What a 配置 column says of a service: an instance size, a disk type, a protection grade.
# No spaces (single-space tables part cells by one space) and never a bare unit or figure.
CONFIGURATIONS: dict[str, tuple[str, ...]] = {
    "vcpu": ("4核8G", "8核16G", "通用型"), "memory": ("DDR4", "高频内存"), "std_storage": ("SATA", "普通云盘"),
    "ssd_storage": ("SSD", "NVMe"), "object_storage": ("三副本", "标准型"), "backup": ("增量备份", "整机备份"),
    "bandwidth": ("BGP", "独享", "共享"), "public_ip": ("IPv4", "独享"), "lb": ("七层", "四层"),
    "vpn": ("SSL", "IPSec"), "ddos": ("基础防护", "高防"), "antivirus": ("企业版",),
    "host_protect": ("三级", "二级"), "hardening": ("三级", "二级"), "db_audit": ("三级", "标准版"),
    "os_win": ("数据中心版", "标准版"), "os_cn": ("服务器版",), "db_pkg": ("主备版", "单机版", "高可用版"),
    "gpu": ("24G显存", "48G显存"), "ai_compute": ("FP16", "INT8"), "rack": ("42U", "47U"),
    "physical": ("独享", "含运维"), "video": ("高清", "标清"),
}
DEFAULT_CONFIGURATIONS: tuple[str, ...] = ("标准版", "高级版")

# What a quantity-only table's 服务类 column says of a category's rows.
CLASS_NAMES: dict[str, tuple[str, ...]] = {
    "compute": ("云主机服务（兼容 x86、ARM 架构）", "计算资源服务"),
    "storage": ("云存储服务", "存储资源服务（多架构兼容）"),
    "network": ("网络资源服务", "网络及接入服务"),
    "security": ("云安全服务", "安全防护服务"),
    "software": ("基础软件服务", "软件套餐服务"),
    "other": ("其他云服务", "机房及视频服务"),
}

# Services every quantity table carries, so that tables look like real orders.
CORE_SERVICES: tuple[str, ...] = ("vcpu", "memory", "std_storage", "bandwidth")

# Times-per-term choices for per-time (元/次) rows.
TIMES_CHOICES: tuple[int, ...] = (1, 2, 4, 8, 12)
