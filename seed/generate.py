"""Deterministic demo seed data for govsvc (政企服务平台, 淄博市).

Generates four UTF-8 CSV files (no BOM, ``\\n`` line endings, header row first)
next to this script:

* ``units.csv``        -- government / service units: 40 city enforcement units
                          (执法和综合管理类), 19 city service units (服务类),
                          15 other city units, 8 district governments and 48 county units
                          (6 systems x 8 districts).
* ``enterprises.csv``  -- ~300 enterprises with valid unified social credit
                          codes (GB 32100-2015), ~12 enterprise groups (集团).
* ``tax_records.csv``  -- local retained tax (CNY, 2 decimals) per enterprise
                          for 2023-2025.
* ``persons.csv``      -- ~80 officials with valid resident ID numbers
                          (GB 11643) assigned to units.

The output depends only on the fixed seed ``random.Random(20261123)``: it does
not use the current date, set iteration order or hash randomization, so every
run writes byte-identical files.

Re-run with::

    python seed/generate.py
"""

import csv
import datetime
import math
import os
import random

SEED = 20261123
OUT_DIR = os.path.dirname(os.path.abspath(__file__))
YEARS = (2023, 2024, 2025)

# ---------------------------------------------------------------------------
# Code alphabets and check-digit rules
# ---------------------------------------------------------------------------

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 chars, value = index
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_BODY_LETTERS = "ABCDEFGHJKLMNPQRTUWXY"  # letters allowed in both standards
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

# ---------------------------------------------------------------------------
# Geography
# ---------------------------------------------------------------------------

# (name, short code, division code, short name used in 分局 names)
DISTRICTS = [
    ("张店区", "ZD", "370303", "张店"),
    ("淄川区", "ZC", "370302", "淄川"),
    ("博山区", "BS", "370304", "博山"),
    ("周村区", "ZCU", "370306", "周村"),
    ("临淄区", "LZ", "370305", "临淄"),
    ("桓台县", "HT", "370321", "桓台"),
    ("高青县", "GQ", "370322", "高青"),
    ("沂源县", "YY", "370323", "沂源"),
]
DISTRICT_NAMES = [d[0] for d in DISTRICTS]
DIVISION_CODE = {d[0]: d[2] for d in DISTRICTS}
DISTRICT_SHORT = {d[0]: d[3] for d in DISTRICTS}
ZIBO_AREA_CODES = [d[2] for d in DISTRICTS]

# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------

# City units of the 执法和综合管理类 survey category: (code, name, enforcement)
CITY_ENFORCEMENT_UNITS = [
    ("FGW", "市发展和改革委员会", 1),
    ("GXJ", "市工业和信息化局", 1),
    ("GAJ", "市公安局", 1),
    ("MZJ", "市民政局", 0),
    ("SFJ", "市司法局", 0),
    ("CZJ", "市财政局", 0),
    ("RSJ", "市人力资源和社会保障局", 1),
    ("ZRJ", "市自然资源和规划局", 1),
    ("SHJ", "市生态环境局", 1),
    ("ZJJ", "市住房和城乡建设局", 1),
    ("JTJ", "市交通运输局", 1),
    ("SLJ", "市水利局", 1),
    ("NYJ", "市农业农村局", 1),
    ("SWUJ", "市商务局", 1),
    ("WLJ", "市文化和旅游局", 1),
    ("WJW", "市卫生健康委员会", 1),
    ("YJJ", "市应急管理局", 1),
    ("SJJ", "市审计局", 0),
    ("SCJ", "市市场监督管理局", 1),
    ("TJJ", "市统计局", 1),
    ("YBJ", "市医疗保障局", 1),
    ("CGJ", "市城市管理局", 1),
    ("SWJ", "国家税务总局淄博市税务局", 1),
    ("XFZD", "市消防救援支队", 1),
    ("HG", "淄博海关", 1),
    ("QXJ", "市气象局", 1),
    ("RFB", "市人民防空办公室", 1),
    ("JRJ", "市地方金融监督管理局", 0),
    ("XSJ", "市行政审批服务局", 0),
    ("DSJ", "市大数据局", 0),
    ("JYJ", "市教育局", 0),
    ("KJJ", "市科学技术局", 0),
    ("TYJR", "市退役军人事务局", 0),
    ("TYJ", "市体育局", 0),
    ("XMJ", "市畜牧兽医局", 1),
    ("LYJ", "市林业局", 1),
    ("YCJ", "市烟草专卖局", 1),
    ("YZJ", "市邮政管理局", 1),
    ("RMYH", "人民银行淄博市中心支行", 0),
    ("YBJG", "淄博银保监分局", 0),
]

# City units of the 服务类 survey category: (code, name)
CITY_SERVICE_UNITS = [
    ("GDGS", "国网淄博供电公司"),
    ("GSGS", "市供水公司"),
    ("RQGS", "市燃气公司"),
    ("RLGS", "市热力公司"),
    ("YD", "中国移动淄博分公司"),
    ("LT", "中国联通淄博分公司"),
    ("DX", "中国电信淄博分公司"),
    ("GH", "工商银行淄博分行"),
    ("NH", "农业银行淄博分行"),
    ("ZH", "中国银行淄博分行"),
    ("JH", "建设银行淄博分行"),
    ("GGZY", "市公共资源交易中心"),
    ("ZWFW", "市政务服务中心"),
    ("GJJ", "市住房公积金管理中心"),
    ("BDC", "市不动产登记中心"),
    ("SBZX", "市社会保险事业中心"),
    ("RCZX", "市人才服务中心"),
    ("TCJ", "市投资促进局"),
    ("MCH", "市贸促会"),
]

# City units outside the survey: (code, name)
CITY_OTHER_UNITS = [
    ("JWJ", "市纪委监委"),
    ("JGGW", "市委市直机关工委"),
    ("GZC", "市公证处"),
    # Party and state bodies of modules 5-7 (liaison offices, 站台 contacts, honours,
    # bankruptcy coordination, tolerance): not rated, not enforcing.
    ("SWBGS", "市委办公室"),
    ("RDBGS", "市人大常委会办公室"),
    ("ZFBGS", "市政府办公室"),
    ("ZXBGS", "市政协办公室"),
    ("ZYFY", "市中级人民法院"),
    ("JCY", "市人民检察院"),
    ("ZZB", "市委组织部"),
    ("ZFW", "市委政法委"),
    ("TZB", "市委统战部"),
    ("XCB", "市委宣传部"),
    ("RCB", "市委人才工作领导小组办公室"),
    ("KHB", "市考核办"),
]

GRADING_CODES = ("FGW", "RSJ", "SHJ", "YJJ", "SCJ", "SWJ")

# Systems that have county-level units, in output order.
COUNTY_SYSTEMS = ("SCJ", "SHJ", "YJJ", "SWJ", "RSJ", "GAJ")

UNIT_HEADER = ["code", "name", "level", "district", "system",
               "survey_category", "enforcement", "grading"]

# ---------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"
    "程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜"
    "范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段翟毕宫房"
)
GIVEN_CHARS = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生"
    "龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中"
    "茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友"
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳"
    "素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦"
)

MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138",
                   "139", "150", "151", "152", "153", "155", "156", "157",
                   "158", "159", "180", "181", "182", "183", "185", "186",
                   "187", "188", "189")

# (post, weight)
POSTS = [
    ("科员", 30),
    ("稽查员", 16),
    ("副科长", 14),
    ("科长", 12),
    ("执法大队队长", 8),
    ("副局长", 6),
]

PERSON_COUNT = 80
PERSON_HEADER = ["id_number", "name", "unit_code", "post"]

# ---------------------------------------------------------------------------
# Enterprises
# ---------------------------------------------------------------------------

ENTERPRISE_COUNT = 300
ENTERPRISE_HEADER = ["credit_code", "name", "legal_rep", "head_name",
                     "head_phone", "district", "industry", "above_scale",
                     "new_format", "group", "group_head", "status"]

# Target share of each industry (sums to 1.0).
INDUSTRY_SHARES = [
    ("工业", 0.55),
    ("服务业", 0.25),
    ("房地产开发", 0.08),
    ("建筑业", 0.07),
    ("其他", 0.05),
]

# Business-line words used in names, per industry.
INDUSTRY_WORDS = {
    "工业": ["化工", "陶瓷", "机械", "新材料", "石化", "医药", "耐火材料",
             "纺织", "电子", "玻璃", "铝业", "特钢", "橡胶", "塑胶",
             "环保科技", "电机", "泵业", "建材", "精细化工", "轴承",
             "汽车零部件", "琉璃", "合金", "纸业", "食品"],
    "服务业": ["物流", "商贸", "信息技术", "餐饮管理", "酒店管理", "软件",
               "供应链管理", "文化传媒", "科技服务", "物业管理",
               "人力资源", "电子商务", "会展服务", "检测技术"],
    "房地产开发": ["置业", "房地产开发", "地产"],
    "建筑业": ["建设工程", "建筑安装", "建工", "市政工程", "路桥工程",
               "装饰工程"],
    "其他": ["农业科技", "生态农业", "果业", "养殖", "林业发展", "种业"],
}

# Trade-name (字号) pool for independent enterprises.
TRADE_NAMES = [
    "金源", "华盛", "宏信", "瑞达", "恒通", "永盛", "德丰", "兴业", "博远",
    "天成", "鼎盛", "嘉禾", "隆基", "中润", "海纳", "鲁阳", "齐星", "泰山",
    "信诚", "联创", "佳诚", "正通", "昌盛", "荣华", "万方", "顺达", "众鑫",
    "宏图", "凯瑞", "创新", "明珠", "福瑞", "晨光", "旭日", "东方", "远航",
    "中天", "同德", "利民", "祥和", "新华", "广源", "汇金", "金诺", "润邦",
    "开元", "力拓", "银河", "蓝天", "绿源", "腾飞", "巨能", "宝丰", "安泰",
    "富通", "华建", "盛世", "益康", "欣悦", "长城", "鸿运", "丰源", "科达",
    "金岭", "齐峰", "通泰", "华阳", "聚力", "合力", "九州", "新星", "宇通",
    "恒信", "立信", "天和", "玉泉", "鲁泰", "锦程", "海川", "久隆",
]

# Groups: (字号, main business word, main industry, home district)
GROUPS = [
    ("金城", "石化", "工业", "临淄区"),
    ("鑫泰", "化工", "工业", "张店区"),
    ("华光", "陶瓷", "工业", "博山区"),
    ("宏达", "机械", "工业", "周村区"),
    ("瑞丰", "纺织", "工业", "周村区"),
    ("汇通", "新材料", "工业", "桓台县"),
    ("泰和", "建工", "建筑业", "张店区"),
    ("鲁中", "置业", "房地产开发", "张店区"),
    ("齐润", "医药", "工业", "淄川区"),
    ("恒源", "耐火材料", "工业", "博山区"),
    ("沂和", "农业科技", "其他", "沂源县"),
    ("青源", "物流", "服务业", "高青县"),
]
GROUP_MEMBERS_MIN, GROUP_MEMBERS_MAX = 2, 5

CLOSED_STATUSES = [("注销", 8), ("吊销", 4)]
ACTIVE_STATUS = "存续"

TAX_HEADER = ["credit_code", "year", "local_retained"]

# Amount model (CNY yuan).
INDEPENDENT_MEDIAN = 2_800_000
INDEPENDENT_SIGMA = 0.95
INDEPENDENT_FLOOR = 200_000
GIANT_COUNT = 5
GIANT_RANGE = (150_000_000, 420_000_000)
MAX_AMOUNT_CENTS = 500_000_000 * 100  # hard ceiling per year
GROUP_HEAD_RANGE = (60_000_000, 250_000_000)
GROUP_MEMBER_RANGE = (8_000_000, 60_000_000)
YEAR_FACTOR_PERMILLE = (700, 1300)  # +-30 % year over year

MIN_RANKING_ENTRIES_2025 = 200
MIN_ACTIVE_ENTERPRISES = 240


# ---------------------------------------------------------------------------
# Check characters
# ---------------------------------------------------------------------------

def org_code_check_char(body8):
    """Check char of an organisation code (GB 11714) for its 8-char body."""
    total = 0
    for ch, w in zip(body8, ORG_WEIGHTS):
        value = int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10
        total += value * w
    c = 11 - total % 11
    if c == 10:
        return "X"
    if c == 11:
        return "0"
    return str(c)


def credit_code_check_char(first17):
    """Check char (pos 18) of a unified social credit code (GB 32100-2015)."""
    total = sum(USCC_CHARS.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS))
    value = 31 - total % 31
    if value == 31:
        value = 0
    return USCC_CHARS[value]


def id_check_char(first17):
    """Check char of an 18-digit resident ID number (GB 11643)."""
    total = sum(int(ch) * w for ch, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11]


def self_check():
    """Validate the check-char functions against known-valid codes."""
    for code in ("91350100M000100Y43", "91110000600037341L"):
        assert credit_code_check_char(code[:17]) == code[17], code
        assert org_code_check_char(code[8:16]) == code[16], code
    assert id_check_char("11010519491231002") == "X"


# ---------------------------------------------------------------------------
# Generic helpers
# ---------------------------------------------------------------------------

def person_name(rng):
    given_len = 1 if rng.random() < 0.3 else 2
    return rng.choice(SURNAMES) + "".join(
        rng.choice(GIVEN_CHARS) for _ in range(given_len))


def mobile_phone(rng):
    return rng.choice(MOBILE_PREFIXES) + "".join(
        rng.choice("0123456789") for _ in range(8))


def weighted_choice(rng, pairs):
    items = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    return rng.choices(items, weights=weights, k=1)[0]


def format_cents(cents):
    return f"{cents // 100}.{cents % 100:02d}"


def write_csv(filename, header, rows):
    path = os.path.join(OUT_DIR, filename)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------

def unit_row(code, name, level, district, system, category, enforcement):
    grading = 1 if code in GRADING_CODES else 0
    return [code, name, level, district, system, category,
            str(enforcement), str(grading)]


def county_unit_name(system, district):
    short = DISTRICT_SHORT[district]
    is_district = district.endswith("区")
    if system == "SCJ":
        return f"{district}市场监督管理局"
    if system == "SHJ":
        return f"淄博市生态环境局{short}分局"
    if system == "YJJ":
        return f"{district}应急管理局"
    if system == "SWJ":
        return f"国家税务总局淄博市{district}税务局"
    if system == "RSJ":
        return f"{district}人力资源和社会保障局"
    if system == "GAJ":
        return f"淄博市公安局{short}分局" if is_district else f"{district}公安局"
    raise ValueError(system)


def build_units():
    assert len(CITY_ENFORCEMENT_UNITS) == 40
    assert len(CITY_SERVICE_UNITS) == 19
    rows = []
    for code, name, enforcement in CITY_ENFORCEMENT_UNITS:
        rows.append(unit_row(code, name, "市", "", "", "enforcement", enforcement))
    for code, name in CITY_SERVICE_UNITS:
        rows.append(unit_row(code, name, "市", "", "", "service", 0))
    for code, name in CITY_OTHER_UNITS:
        rows.append(unit_row(code, name, "市", "", "", "", 0))
    city_enforcement = {c: e for c, _, e in CITY_ENFORCEMENT_UNITS}
    for system in COUNTY_SYSTEMS:
        for district, dcode, _, _ in DISTRICTS:
            rows.append(unit_row(f"{system}-{dcode}",
                                 county_unit_name(system, district),
                                 "区县", district, system, "",
                                 city_enforcement[system]))
    # Each district's government (区县党委政府): county liaison plans, "321" warnings, rescue.
    for district, dcode, _, _ in DISTRICTS:
        rows.append(unit_row(f"ZF-{dcode}", f"{district}人民政府", "区县", district, "", "", 0))
    codes = [r[0] for r in rows]
    assert len(codes) == len(set(codes)), "duplicate unit code"
    return rows


# ---------------------------------------------------------------------------
# Enterprises
# ---------------------------------------------------------------------------

def industry_of_word(word):
    for industry, words in INDUSTRY_WORDS.items():
        if word in words:
            return industry
    raise ValueError(word)


def org_code_body(rng):
    """8-char organisation code body: mostly digits, some 'MA'-style."""
    if rng.random() < 0.7:
        return "".join(rng.choice("0123456789") for _ in range(8))
    pool = "0123456789" * 2 + ORG_BODY_LETTERS
    return "MA" + "".join(rng.choice(pool) for _ in range(6))


def make_credit_code(rng, district, used):
    while True:
        body = org_code_body(rng)
        first17 = "91" + DIVISION_CODE[district] + body + org_code_check_char(body)
        code = first17 + credit_code_check_char(first17)
        if code not in used:
            used.add(code)
            return code


def company_suffix(rng):
    return weighted_choice(rng, [("有限公司", 80), ("股份有限公司", 12),
                                 ("有限责任公司", 8)])


def build_group_members(rng):
    """Return enterprise stubs (dicts) for every group member."""
    stubs = []
    for trade, word, industry, home in GROUPS:
        group_name = f"{trade}{word}集团"
        head_suffix = rng.choice(["集团有限公司", "集团股份有限公司"])
        prefix = rng.choice(["山东", "淄博"])
        stubs.append({"name": f"{prefix}{trade}{word}{head_suffix}",
                      "district": home, "industry": industry,
                      "group": group_name, "group_head": 1})
        used_words = [word]
        for _ in range(rng.randint(GROUP_MEMBERS_MIN, GROUP_MEMBERS_MAX) - 1):
            if rng.random() < 0.5:
                member_industry = industry
            else:
                member_industry = weighted_choice(
                    rng, [("工业", 3), ("服务业", 4), ("房地产开发", 1)])
            candidates = [w for w in INDUSTRY_WORDS[member_industry]
                          if w not in used_words]
            member_word = rng.choice(candidates)
            used_words.append(member_word)
            district = home if rng.random() < 0.75 else rng.choice(DISTRICT_NAMES)
            stubs.append({"name": f"淄博{trade}{member_word}有限公司",
                          "district": district, "industry": member_industry,
                          "group": group_name, "group_head": 0})
    return stubs


def industry_pool(rng, total, already):
    """Shuffled industry list for the independents hitting the target shares."""
    counts = [[ind, round(share * total)] for ind, share in INDUSTRY_SHARES]
    counts[0][1] += total - sum(c for _, c in counts)  # rounding remainder
    for stub in already:
        for pair in counts:
            if pair[0] == stub["industry"]:
                pair[1] = max(0, pair[1] - 1)
    pool = [ind for ind, c in counts for _ in range(c)]
    remaining = total - len(already)
    while len(pool) < remaining:
        pool.append("工业")
    pool = pool[:remaining]
    rng.shuffle(pool)
    return pool


def independent_name(rng, industry, district, used_names):
    """Prefix is 淄博, 山东 or the enterprise's own district short name."""
    prefixes = ["淄博"] * 3 + ["山东"] + [DISTRICT_SHORT[district]] * 3
    while True:
        name = (rng.choice(prefixes) + rng.choice(TRADE_NAMES)
                + rng.choice(INDUSTRY_WORDS[industry]) + company_suffix(rng))
        if name not in used_names:
            return name


def build_enterprises(rng):
    stubs = build_group_members(rng)
    used_names = {s["name"] for s in stubs}
    for industry in industry_pool(rng, ENTERPRISE_COUNT, stubs):
        district = rng.choice(DISTRICT_NAMES)
        name = independent_name(rng, industry, district, used_names)
        used_names.add(name)
        stubs.append({"name": name, "district": district,
                      "industry": industry, "group": "", "group_head": 0})
    assert len(stubs) == ENTERPRISE_COUNT

    used_codes = set()
    for stub in stubs:
        stub["credit_code"] = make_credit_code(rng, stub["district"], used_codes)
        stub["legal_rep"] = person_name(rng)
        stub["head_name"] = (stub["legal_rep"] if rng.random() < 0.6
                             else person_name(rng))
        stub["head_phone"] = mobile_phone(rng)
        stub["above_scale"] = 1 if stub["group_head"] or rng.random() < 0.75 else 0
        # 新业态: enough of them that 30 outside the top 200 can join the liaison list.
        stub["new_format"] = 1 if rng.random() < 0.18 else 0
        stub["status"] = ACTIVE_STATUS

    independents = [s for s in stubs if not s["group"]]
    closed = rng.sample(independents, sum(n for _, n in CLOSED_STATUSES))
    i = 0
    for status, n in CLOSED_STATUSES:
        for stub in closed[i:i + n]:
            stub["status"] = status
        i += n

    stubs.sort(key=lambda s: s["credit_code"])
    return stubs


def enterprise_rows(enterprises):
    return [[e["credit_code"], e["name"], e["legal_rep"], e["head_name"],
             e["head_phone"], e["district"], e["industry"],
             str(e["above_scale"]), str(e["new_format"]), e["group"],
             str(e["group_head"]), e["status"]] for e in enterprises]


# ---------------------------------------------------------------------------
# Tax records
# ---------------------------------------------------------------------------

def log_uniform_yuan(rng, low, high):
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def base_amount_cents(rng, enterprise, giants):
    if enterprise["group_head"]:
        yuan = log_uniform_yuan(rng, *GROUP_HEAD_RANGE)
    elif enterprise["group"]:
        yuan = log_uniform_yuan(rng, *GROUP_MEMBER_RANGE)
    elif enterprise["credit_code"] in giants:
        yuan = log_uniform_yuan(rng, *GIANT_RANGE)
    else:
        yuan = max(INDEPENDENT_FLOOR,
                   rng.lognormvariate(math.log(INDEPENDENT_MEDIAN),
                                      INDEPENDENT_SIGMA))
    return int(yuan) * 100 + rng.randint(0, 99)


def years_present(rng, enterprise):
    if enterprise["status"] == ACTIVE_STATUS:
        return YEARS
    return YEARS[:1] if rng.random() < 0.5 else YEARS[:2]


def build_tax_records(rng, enterprises):
    candidates = [e["credit_code"] for e in enterprises
                  if not e["group"] and e["status"] == ACTIVE_STATUS
                  and e["industry"] == "工业"]
    giants = set(rng.sample(candidates, GIANT_COUNT))
    records = []
    for e in enterprises:  # already sorted by credit_code
        cents = base_amount_cents(rng, e, giants)
        for year in years_present(rng, e):
            if year != YEARS[0]:
                cents = cents * rng.randint(*YEAR_FACTOR_PERMILLE) // 1000
                cents = min(cents, MAX_AMOUNT_CENTS)
            records.append([e["credit_code"], str(year), format_cents(cents)])
    return records


# ---------------------------------------------------------------------------
# Persons
# ---------------------------------------------------------------------------

def birth_date(rng):
    start = datetime.date(1965, 1, 1).toordinal()
    end = datetime.date(1998, 12, 31).toordinal()
    return datetime.date.fromordinal(rng.randint(start, end))


def make_id_number(rng, area_code, used):
    while True:
        first17 = (area_code + birth_date(rng).strftime("%Y%m%d")
                   + f"{rng.randint(1, 999):03d}")
        number = first17 + id_check_char(first17)
        if number not in used:
            used.add(number)
            return number


def build_persons(rng, units):
    city_units = [u for u in units if u[2] == "市" and u[6] == "1"]
    county_units = [u for u in units if u[2] == "区县" and not u[0].startswith("ZF-")]  # not the governments
    district_area = {d[0]: d[2] for d in DISTRICTS}
    used_ids = set()
    rows = []
    for _ in range(PERSON_COUNT):
        unit = rng.choice(county_units if rng.random() < 0.6 else city_units)
        area = district_area[unit[3]] if unit[3] else rng.choice(ZIBO_AREA_CODES)
        rows.append([make_id_number(rng, area, used_ids), person_name(rng),
                     unit[0], weighted_choice(rng, POSTS)])
    return rows


# ---------------------------------------------------------------------------
# Sanity checks and main
# ---------------------------------------------------------------------------

def check_invariants(units, enterprises, tax_records, persons):
    unit_codes = {u[0] for u in units}
    assert sum(u[5] == "enforcement" for u in units) == 40
    assert sum(u[5] == "service" for u in units) == 19
    assert [u[0] for u in units if u[7] == "1"] == list(GRADING_CODES)
    assert all(p[2] in unit_codes for p in persons)
    assert len({p[0] for p in persons}) == len(persons)
    assert len({e["name"] for e in enterprises}) == len(enterprises)
    for e in enterprises:
        code = e["credit_code"]
        assert credit_code_check_char(code[:17]) == code[17]
        assert org_code_check_char(code[8:16]) == code[16]
        assert all(ch in USCC_CHARS for ch in code)
    heads = [e["group"] for e in enterprises if e["group_head"]]
    assert sorted(heads) == sorted({e["group"] for e in enterprises if e["group"]})
    active = [e for e in enterprises if e["status"] == ACTIVE_STATUS]
    assert len(active) >= MIN_ACTIVE_ENTERPRISES
    group_of = {e["credit_code"]: e["group"] for e in enterprises}
    entries_2025 = {group_of[r[0]] or r[0] for r in tax_records if r[1] == "2025"}
    assert len(entries_2025) >= MIN_RANKING_ENTRIES_2025, len(entries_2025)


SMALL_NEW_FORMAT = 30  # the smallest taxpayers that are also 新业态 (see mark_small_new_format)


def mark_small_new_format(enterprises, tax_records):
    """新业态 firms are mostly young and small: the SMALL_NEW_FORMAT in-business independents with
    the smallest 2025 local retained tax are new-format too, so that the leader-liaison list (tax
    top-200 plus 30 new-format enterprises from outside it) finds its 30. Uses no randomness: the
    other columns and files stay as they were."""
    tax_2025 = {r[0]: int(r[2].replace(".", "")) for r in tax_records if r[1] == "2025"}
    small = sorted((e for e in enterprises if not e["group"] and e["status"] == ACTIVE_STATUS),
                   key=lambda e: (tax_2025.get(e["credit_code"], 0), e["credit_code"]))
    for e in small[:SMALL_NEW_FORMAT]:
        e["new_format"] = 1


def main():
    self_check()
    rng = random.Random(SEED)
    units = build_units()
    enterprises = build_enterprises(rng)
    tax_records = build_tax_records(rng, enterprises)
    mark_small_new_format(enterprises, tax_records)
    persons = build_persons(rng, units)
    check_invariants(units, enterprises, tax_records, persons)

    write_csv("units.csv", UNIT_HEADER, units)
    write_csv("enterprises.csv", ENTERPRISE_HEADER, enterprise_rows(enterprises))
    write_csv("tax_records.csv", TAX_HEADER, tax_records)
    write_csv("persons.csv", PERSON_HEADER, persons)
    print(f"units={len(units)} enterprises={len(enterprises)} "
          f"tax_records={len(tax_records)} persons={len(persons)}")


if __name__ == "__main__":
    main()
