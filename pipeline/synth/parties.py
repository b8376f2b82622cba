"""Invented contract parties: government clients and cloud suppliers.

Every name, address, phone, bank branch, account and tax id is assembled from
the part lists below; nothing is taken from a real contract.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

CITY_HEADS = "清江云安宁嘉泰华新和丰永长平兴通瑞明海临松桐溪岚沅"
CITY_TAILS = "阳川州山源平城原丘陵浦湖岭塘"
DISTRICT_NAMES = ("东城", "西湖", "南湾", "北塘", "高新", "滨江", "新港", "中原", "临河", "金水",
                  "青山", "白沙", "望江", "龙泉", "桂园")
CLIENT_UNITS = ("政务服务和数据管理局", "大数据中心", "经济和信息化局", "卫生健康委员会",
                "教育委员会", "应急管理局", "信息中心", "城市运行管理中心", "融媒体中心",
                "医疗保障局", "生态环境局", "交通运输委员会", "规划和自然资源委员会", "统计局",
                "档案馆", "人力资源和社会保障局", "市场监督管理局", "政务服务中心")
BRAND_HEADS = "云数恒星瀚智联凌天启华睿博泓卓观弘鼎朗"
BRAND_TAILS = "启擎拓衡川澜讯域图算维翼科联达宸信峰"
SUPPLIER_FORMS = ("{brand}科技有限公司", "{brand}信息技术有限公司", "{brand}云计算技术有限公司",
                  "{brand}数据服务股份有限公司", "{brand}网络科技股份有限公司",
                  "{brand}通信股份有限公司{city}分公司", "{brand}数字科技有限公司{city}分公司")
ROAD_HEADS = "长安和平建设人民新华解放文化友谊光明复兴滨河学院科技创业"
ROAD_KINDS = ("路", "大街", "大道", "街")
BUILDINGS = ("科技大厦", "信息港", "创新中心", "数字产业园", "金融中心", "政务服务大楼")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦史顾侯邵孟龙段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宇浩凯健俊帆晨琳欣怡瑶婷雪梅志宏建国立新海波"
BANKS = ("中国工商银行股份有限公司", "中国建设银行股份有限公司", "中国农业银行股份有限公司",
         "中国银行股份有限公司", "交通银行股份有限公司", "招商银行股份有限公司", "中信银行股份有限公司",
         "兴业银行股份有限公司", "上海浦东发展银行股份有限公司")
BANK_SHORT = {"中国工商银行股份有限公司": "工行", "中国建设银行股份有限公司": "建行",
              "中国农业银行股份有限公司": "农行", "中国银行股份有限公司": "中行"}
TAX_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
MOBILE_PREFIXES = ("13", "15", "17", "18", "19")


@dataclass
class Party:
    role: str  # client | supplier
    name: str
    short: str  # brand or unit short name, for logos and page headers
    city: str
    representative: str
    address: str
    contact_person: str
    phone: str
    bank_name: str
    bank_account: str
    account_written: str  # the account as the document writes it (maybe grouped)
    tax_id: str
    postcode: str


def person(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def city(rng: random.Random) -> str:
    return rng.choice(CITY_HEADS) + rng.choice(CITY_TAILS)


def address(rng: random.Random, city_name: str) -> str:
    road = rng.choice(ROAD_HEADS[::2]) + rng.choice(ROAD_HEADS[1::2]) + rng.choice(ROAD_KINDS)
    text = f"{city_name}市{rng.choice(DISTRICT_NAMES)}区{road}{rng.randint(1, 299)}号"
    if rng.random() < 0.4:
        text += f"{rng.choice(BUILDINGS)}{rng.randint(2, 23)}层"
    return text


def phone(rng: random.Random) -> str:
    if rng.random() < 0.85:
        return rng.choice(MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(9))
    area = "0" + "".join(rng.choice("123456789") for _ in range(rng.choice((2, 3))))
    return f"{area}-{rng.randint(2, 8)}{rng.randint(1000000, 9999999)}"


def account(rng: random.Random) -> tuple[str, str]:
    """(digits, as written): 16-23 digits, sometimes grouped by four."""
    digits = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(rng.randint(15, 22)))
    if rng.random() < 0.25:
        return digits, " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))
    return digits, digits


def tax_id(rng: random.Random, government: bool) -> str:
    head = "11" if government else "91"
    return head + "".join(rng.choice(TAX_CHARS) for _ in range(16))


def bank_branch(rng: random.Random, city_name: str) -> str:
    bank = rng.choice(BANKS)
    branch = rng.choice(ROAD_HEADS[::2]) + rng.choice(ROAD_HEADS[1::2])
    if bank in BANK_SHORT and rng.random() < 0.2:
        return f"{BANK_SHORT[bank]}{city_name}{branch}支行"
    return f"{bank}{city_name}{branch}支行"


def make_client(rng: random.Random) -> Party:
    city_name = city(rng)
    unit = rng.choice(CLIENT_UNITS)
    if rng.random() < 0.5:
        name = f"{city_name}市{rng.choice(DISTRICT_NAMES)}区{unit}"
    else:
        name = f"{city_name}市{unit}"
    digits, written = account(rng)
    return Party("client", name, unit, city_name, person(rng), address(rng, city_name), person(rng),
                 phone(rng), bank_branch(rng, city_name), digits, written, tax_id(rng, True),
                 str(rng.randint(100000, 860000)))


def make_supplier(rng: random.Random, client_city: str) -> Party:
    brand = rng.choice(BRAND_HEADS) + rng.choice(BRAND_TAILS)
    name = rng.choice(SUPPLIER_FORMS).format(brand=brand, city=f"{client_city}市")
    home = client_city if "分公司" in name else city(rng)
    digits, written = account(rng)
    return Party("supplier", name, brand, home, person(rng), address(rng, home), person(rng),
                 phone(rng), bank_branch(rng, home), digits, written, tax_id(rng, False),
                 str(rng.randint(100000, 860000)))
