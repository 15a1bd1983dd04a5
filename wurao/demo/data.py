"""The demo district's fixed facts: the study's figures, places, organisations and calendars.

Pure data, no Django import. Every figure the demo must reproduce comes from the
study; every other number here is the demo's own assumption and says so.
"""

from dataclasses import dataclass

# ---------------------------------------------------------------------------
# The study's figures (Longhua district, 2020)
# ---------------------------------------------------------------------------

STUDY_SOURCE = (
    "深圳市龙华区司法局《关于规范行政执法优化法治化营商环境的调研报告》（2022年），"
    "表1、图1、图2及正文所列2020年（重点企业为2019年1—10月）数据"
)

STUDY_YEAR = 2020
STUDY_ENTITIES = 433_407  # 商事主体
STUDY_ENTERPRISES = 284_316  # 其中企业
STUDY_FOUR_ABOVE = 2_950  # “四上”企业
STUDY_ABOVE_SCALE_INDUSTRY = 1_520  # 规模以上工业企业
STUDY_INSPECTIONS = 53_382  # 行政检查
STUDY_PENALTIES = 4_948  # 行政处罚
STUDY_COERCIVE = 717  # 行政强制
STUDY_ACTIONS = STUDY_INSPECTIONS + STUDY_PENALTIES + STUDY_COERCIVE  # 59,047
STUDY_TOP3_SHARE_PCT = 82  # 生态环境、市场监管、应急管理三部门合计占比
STUDY_DISTRICT_INSPECTIONS = 14_354  # 区级单位行政检查
STUDY_DISTRICT_RANDOM = 1_151  # 其中“双随机”抽查
STUDY_JOINT_RANDOM_VISITS = 131  # 跨部门联合双随机抽查（户次）
STUDY_KEY_ENTERPRISE_VISITS = 75  # 福城街道某重点企业，2019年1—10月
STUDY_KEY_ENTERPRISE_NON_ENFORCEMENT = 30  # 其中非执法类入企（工会、妇联、党建、社区）

# ---------------------------------------------------------------------------
# The demo's own assumptions (not in the study)
# ---------------------------------------------------------------------------

# The study gives entities and enterprises; the rest are split by the demo between
# individual businesses (个体工商户) and other forms (农民专业合作社).
DEMO_OTHER_ENTITIES = 491
DEMO_INDIVIDUALS = STUDY_ENTITIES - STUDY_ENTERPRISES - DEMO_OTHER_ENTITIES  # 148,600

# The top three departments' actions in 2020 at scale 1, (inspections, penalties,
# coercive measures). Chosen so that their total is 48,419, i.e. 82.0% of 59,047.
TOP3_ACTIONS = {
    "SZ-SCJG": (19_450, 1_350, 200),
    "SZ-STHJ": (13_600, 1_900, 300),
    "YJGL": (10_700, 800, 119),
}
TOP3 = tuple(TOP3_ACTIONS)
# The other district-level departments together, and the six street teams together.
# District inspections: 10,700 (应急) + 3,654 = 14,354, the study's figure.
OTHER_DISTRICT_ACTIONS = (3_654, 520, 58)
STREET_TEAM_ACTIONS = (5_978, 378, 40)
OTHER_DISTRICT_WEIGHTS = {
    "ZJJ": 22,
    "XFJY": 20,
    "CGZF": 16,
    "RLZY": 12,
    "WSJK": 10,
    "SWJ": 7,
    "WGLT": 6,
    "JTYS": 4,
    "JYJ": 3,
}
# Share of the two city-level bureaus' inspections drawn at random (the study
# counts random draws only for district-level units).
CITY_RANDOM_SHARE = 0.06
# Which departments meet at a joint random visit; the visits cycle through these.
JOINT_PATTERNS = (
    ("SZ-STHJ", "YJGL"),
    ("SZ-SCJG", "XFJY"),
    ("YJGL", "XFJY"),
    ("SZ-STHJ", "SZ-SCJG"),
    ("SZ-SCJG", "WSJK"),
    ("YJGL", "ZJJ"),
    ("SZ-STHJ", "SWJ"),
    ("YJGL", "RLZY", "XFJY"),
    ("SZ-STHJ", "SZ-SCJG", "YJGL"),
    ("SZ-SCJG", "CGZF"),
)

# Origins of the inspections that are not random draws (demo assumption; the study gives the
# random draws only). The study describes the bulk as routine and campaign inspections going on
# beside a random draw "done for show" (随机抽查流于形式, 日常检查、专项检查多), so routine plans
# (日常检查, "plan") and campaigns (专项检查) make about three quarters, and the inspections a
# department cannot plan — complaints (12345/12315/12369 hotlines), referrals and orders from
# higher levels — about one fifth; "other" is ad-hoc work (临时检查) that is neither. Weights.
INSPECTION_ORIGINS = {
    "plan": 42,
    "campaign": 34,
    "complaint": 12,
    "referral": 4,
    "higher_order": 4,
    "other": 4,
}
# When the campaigns (专项检查) run (demo assumption): the district's recurring safety campaigns
# put them in the same months for every department — before the Spring Festival (January), at
# the return to work (March), the safety month (安全生产月, June), before the National Day
# (September) and the year-end inspection (岁末年初安全生产大检查, November–December) — so one
# enterprise meets several departments' campaign inspections within weeks, what the study calls
# 多头检查. Weight of a working day by its month.
CAMPAIGN_MONTH_WEIGHTS = {
    1: 3.0, 2: 1.0, 3: 2.0, 4: 1.0, 5: 1.0, 6: 3.0,
    7: 1.0, 8: 1.0, 9: 2.0, 10: 1.0, 11: 2.0, 12: 3.0,
}  # fmt: skip
FOLLOW_UP_ORIGINS = {
    "complaint": 35,
    "plan": 25,
    "campaign": 20,
    "referral": 10,
    "higher_order": 5,
    "other": 5,
}

# ---------------------------------------------------------------------------
# The years of the history (demo assumptions: the study gives figures for 2020 only)
# ---------------------------------------------------------------------------

# 2019, the year of the key enterprise's 75 visits, is a full year too: every department's
# inspections, penalties and coercive measures from January to December, built like 2020's
# at 92% of its counts (round(figure × 0.92 × scale), the same split by department, kind,
# random draw and joint visit). A bit fewer than 2020, because 2020 added the epidemic
# checks of enterprises resuming work (复工复产检查) to the usual plans and campaigns.
# The key enterprise's 2019 is its study story alone (45 + 30, January–October).
HISTORY_YEAR_BEFORE = 2019
YEAR_BEFORE_FACTOR = 0.92

# Concentration (the study: visits pile up on the key enterprises). Every entity has an
# "attention" weight that multiplies its chance to be picked by each department whose list
# it is on: 1 for most; for the 四上 (and so the 规上工业) enterprises a log-normal weight
# with median KEY_ATTENTION_MEDIAN and spread KEY_ATTENTION_SIGMA, so that most key
# enterprises see a department a few times a year and a tail of them, on many departments'
# lists (hazardous chemicals, discharge, fire risk…), dozens of times. The key enterprise's
# weight is the tail's (KEY_ENTERPRISE_ATTENTION).
KEY_ATTENTION_MEDIAN = 5.0
KEY_ATTENTION_SIGMA = 0.7
KEY_ENTERPRISE_ATTENTION = 25.0
# A ceiling on any one entity's expected inspections by one department in a year (the key
# enterprise had 9 from 区应急管理局 in ten months): attention concentrates, it does not
# make one enterprise a department's whole year.
MAX_EXPECTED_PER_DEPARTMENT = 8.0
# Findings (demo assumption): the chance that an inspection finds a problem rises with the
# entity's risk tags and is higher for complaints and referrals, times the entity's
# compliance propensity (below); about 30% overall. PROBLEM_MAX is a ceiling: even the worst
# entity's inspection sometimes finds nothing.
PROBLEM_BASE = 0.22
PROBLEM_PER_TAG = 0.07
PROBLEM_MAX = 0.9
PROBLEM_COMPLAINT_BONUS = 0.15
# Compliance propensity (demo assumption): how well an entity keeps the rules persists from
# year to year — studies that forecast inspection outcomes from an establishment's record
# find its earlier violations the strongest predictor of the next ones. Each entity draws
# once a multiplier of its problem chance, log-normal with mean 1 and spread
# PROPENSITY_SIGMA, from its own random stream (so names, codes, dates and whom each
# department inspects stay those of the seed). With this spread an inspection in 2020 of an
# enterprise found with problems in 2019 finds one about twice as often as an inspection of
# an enterprise whose 2019 inspections were all clean (docs/demo.md has the figures).
# PROPENSITY_SCALE makes up for what PROBLEM_MAX cuts off the high multipliers, so that the
# overall share stays where it was without the propensity (30.2% at scale 1). The ceiling
# is high (it was 0.65 before the propensity) so that it rarely binds and risk tags and
# complaints keep most of their effect. The key enterprise's multiplier is 1.
PROPENSITY_SIGMA = 0.8
PROPENSITY_SCALE = 1.07
# Penalties and coercive measures that follow one of the department's inspections follow one
# that found a problem (when it has one); the rest are decided on other grounds.
FOLLOW_UP_LINKED = 0.8

# Non-enforcement visits (入企走访, not inspections): the study's key enterprise had 30 in ten
# months, 40% of its 75, and the study names them piling up on the key enterprises as a main
# finding. The demo assumes (not the study's figures) that every 四上 enterprise has
# - a street office's enterprise service officer (重点企业服务专员, 挂点服务) who calls once a
#   quarter: NON_ENFORCEMENT_SERVICE_PER_YEAR visits, one in each quarter; and
# - on average NON_ENFORCEMENT_PER_FOUR_ABOVE visits a year by the other organisations (about one
#   each by the union, the party committee and the community station — residents' records and
#   the statistics checks of 联网直报 — and one by the women's federation, a policy briefing or
#   a research visit), spread by the enterprise's attention and size: unions, women's federations
#   and party committees go where the employees are, and the enterprises the departments watch
#   are the ones everyone visits, so a tail of them sees dozens a year (the key enterprise: 30
#   in ten months);
# and that other enterprises see a few: NON_ENFORCEMENT_OTHER_ENTERPRISES a year, by size.
# About eight a year at an average 四上 enterprise, about 70% of its on-site contacts (the key
# enterprise, inspected far more than most: 40%); about 2% of other enterprises' contacts.
NON_ENFORCEMENT_SERVICE_PER_YEAR = 4
NON_ENFORCEMENT_PER_FOUR_ABOVE = 4.0
NON_ENFORCEMENT_OTHER_ENTERPRISES = {2019: 650, 2020: 600}
NON_ENFORCEMENT_SERVICE = (
    "street_office",
    "research",
    ("重点企业服务专员走访", "挂点服务企业走访"),
)
# Who makes them (weights) and why: organisation kind -> (weight, VisitPurpose, notes).
# "party", "community" and "street_office" are the enterprise's own street's or community's;
# "department" is an enforcement department (research or policy promotion, not inspecting).
NON_ENFORCEMENT_MIX = (
    ("ZGH", 20, "union", ("工会组建和职工权益走访", "职工之家建设调研", "劳动竞赛动员", "困难职工帮扶摸底")),
    ("FL", 10, "women", ("女职工权益保护调研", "巾帼文明岗创建指导", "母婴室建设走访")),
    ("party", 18, "party", ("非公企业党建工作指导", "党组织组建情况调研", "主题教育宣讲")),
    ("community", 20, "community", ("来深人员信息核查", "社区安全生产宣传", "统计数据核查", "企业诉求走访")),
    ("street_office", 7, "policy", ("惠企政策宣讲", "稳增长政策落实走访")),
    ("street_office", 5, "research", ("企业经营情况调研", "企业诉求收集")),
    ("GSL", 5, "policy", ("民营经济政策宣讲", "商会入会动员")),
    ("GSL", 3, "research", ("民营企业发展调研",)),
    ("department", 7, "research", ("行业监管调研", "营商环境调研座谈")),
    ("department", 5, "policy", ("法律法规宣贯", "安全生产责任宣讲")),
)  # fmt: skip

# ---------------------------------------------------------------------------
# Places. Street names and their order are Longhua's six streets (国务院批复设立
# 龙华区, 2016); street codes follow GB/T 2260 + the 3-digit township code.
# Communities and parks carry real local place names; their codes are numbered
# in listing order for the demo, not the official 统计用区划代码.
# ---------------------------------------------------------------------------

DIVISION = "440309"  # 深圳市龙华区

STREETS = (
    ("440309001", "观湖", "GH"),
    ("440309002", "民治", "MZ"),
    ("440309003", "龙华", "LH"),
    ("440309004", "大浪", "DL"),
    ("440309005", "福城", "FC"),
    ("440309006", "观澜", "GL"),
)

COMMUNITIES = {
    "观湖": ("鹭湖", "松元厦", "新田", "樟坑径", "大和", "横坑", "下湖", "马坜"),
    "民治": ("民治", "民康", "民泰", "大岭", "北站", "白石龙", "樟坑", "红山"),
    "龙华": ("龙园", "三联", "景龙", "油松", "清湖", "富康", "松和", "华联"),
    "大浪": ("浪口", "横朗", "同胜", "龙胜", "高峰", "陶元", "新石"),
    "福城": ("大水坑", "福民", "章阁", "桔塘", "茜坑", "新和"),
    "观澜": ("桂花", "大布巷", "君龙", "广培", "大水田", "黎光", "库坑", "牛湖"),
}

PARKS = {
    "观湖": ("观澜高新技术产业园", "松元厦工业区"),
    "民治": ("深圳北站国际商务区", "民治创新产业园"),
    "龙华": ("龙华数字创新中心", "清湖工业园"),
    "大浪": ("大浪时尚小镇", "华繁工业园"),
    "福城": ("九龙山产业城", "大水坑工业区"),
    "观澜": ("观澜大富工业区", "观澜版画文化产业园"),
}

ROADS = {
    "观湖": ("观澜大道", "环观南路", "观平路", "观清路", "求知东路", "樟坑径路"),
    "民治": ("民治大道", "民康路", "梅龙路", "民塘路", "新区大道", "工业东路"),
    "龙华": ("人民路", "东环一路", "东环二路", "和平路", "建设东路", "清湖路"),
    "大浪": ("华荣路", "华旺路", "浪荣路", "大浪南路", "同胜路", "布龙路"),
    "福城": ("福前路", "观澜大道", "章阁路", "桔岭路", "凯丰路", "福民路"),
    "观澜": ("观光路", "桂月路", "高尔夫大道", "环观中路", "大富路", "库坑路"),
}

# Where entities sit (demo assumption): manufacturing in the north and west,
# commerce and services around 民治 and 龙华.
STREET_WEIGHTS_MANUFACTURING = {
    "观湖": 18,
    "民治": 8,
    "龙华": 14,
    "大浪": 20,
    "福城": 20,
    "观澜": 20,
}
STREET_WEIGHTS_OTHER = {"观湖": 13, "民治": 27, "龙华": 25, "大浪": 15, "福城": 8, "观澜": 12}
STREET_WEIGHTS_INDIVIDUAL = {"观湖": 14, "民治": 22, "龙华": 24, "大浪": 16, "福城": 10, "观澜": 14}
STREET_TEAM_WEIGHTS = {"观湖": 15, "民治": 20, "龙华": 22, "大浪": 16, "福城": 12, "观澜": 15}

# ---------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    """A department (or a non-enforcement organisation) and whom it inspects.

    sections: GB/T 4754 sections it typically inspects; tags: risk tags that put an
    entity on its list; kinds: entity kinds; own_street: only entities in its street.
    """

    code: str
    name: str
    level: str
    is_enforcement: bool = True
    street: str = ""
    inspectors: int = 0
    expertise: tuple[str, ...] = ()
    sections: str = ""
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ("enterprise",)
    own_street: bool = False


DEPARTMENTS = (
    Org(
        "SZ-STHJ",
        "市生态环境局龙华管理局",
        "city",
        inspectors=90,
        expertise=(
            "大气污染防治",
            "水污染防治",
            "固体废物",
            "危险废物",
            "排污许可",
            "环境影响评价",
        ),
        sections="CNQG",
        tags=("discharge", "hazchem"),
        kinds=("enterprise", "individual"),
    ),
    Org(
        "SZ-SCJG",
        "市市场监督管理局龙华监管局",
        "city",
        inspectors=160,
        expertise=(
            "食品安全",
            "特种设备",
            "产品质量",
            "药品流通",
            "价格监督",
            "广告监管",
            "登记注册",
        ),
        sections="CFHOKIMLR",
        tags=("food", "special_eq"),
        kinds=("enterprise", "individual", "other"),
    ),
    Org(
        "YJGL",
        "区应急管理局",
        "district",
        inspectors=70,
        expertise=(
            "危险化学品",
            "工贸行业安全",
            "粉尘防爆",
            "有限空间",
            "涉氨制冷",
            "隐患排查治理",
        ),
        sections="CG",
        tags=("hazchem", "dust", "confined", "ammonia", "metal_melt"),
    ),
    Org(
        "CGZF",
        "区城市管理和综合执法局",
        "district",
        inspectors=40,
        expertise=("生活垃圾分类", "建筑废弃物", "市容秩序", "户外广告", "扬尘防治"),
        sections="HFEK",
        tags=("construction",),
        kinds=("enterprise", "individual"),
    ),
    Org(
        "WSJK",
        "区卫生健康局",
        "district",
        inspectors=30,
        expertise=("职业卫生", "公共场所卫生", "医疗机构", "医疗废物"),
        sections="QO",
        tags=("occupational",),
        kinds=("enterprise", "individual"),
    ),
    Org(
        "ZJJ",
        "区住房和建设局",
        "district",
        inspectors=40,
        expertise=("建筑施工安全", "工程质量", "建筑起重机械", "危大工程", "扬尘防治"),
        sections="EK",
        tags=("construction",),
    ),
    Org(
        "XFJY",
        "区消防救援大队",
        "district",
        inspectors=35,
        expertise=("消防监督检查", "建筑消防设施", "人员密集场所", "易燃易爆场所"),
        sections="HRG",
        tags=("fire_key", "crowded"),
        kinds=("enterprise", "individual"),
    ),
    Org(
        "RLZY",
        "区人力资源局",
        "district",
        inspectors=30,
        expertise=("劳动保障监察", "工资支付", "劳动合同", "社会保险"),
        sections="CEGHL",
    ),
    Org(
        "SWJ",
        "区水务局",
        "district",
        inspectors=20,
        expertise=("排水管理", "水土保持", "取水许可", "河道管理"),
        sections="E",
        tags=("discharge",),
        kinds=("enterprise", "individual"),
    ),
    Org(
        "WGLT",
        "区文化广电旅游体育局",
        "district",
        inspectors=18,
        expertise=("文化市场", "娱乐场所", "旅游市场", "体育经营"),
        sections="R",
        tags=("crowded",),
        kinds=("enterprise", "individual"),
    ),
    Org(
        "JYJ",
        "区教育局",
        "district",
        inspectors=15,
        expertise=("民办教育", "教育督导"),
        sections="P",
    ),
    Org(
        "JTYS",
        "区交通运输局",
        "district",
        inspectors=20,
        expertise=("道路运输", "危险货物运输", "机动车维修", "交通运输安全生产"),
        sections="G",
        kinds=("enterprise", "individual"),
    ),
) + tuple(
    Org(
        f"ZF-{short}",
        f"{street}街道综合行政执法队",
        "street",
        street=street,
        inspectors=25,
        expertise=("违法建设查处", "市容环境", "安全生产巡查", "生活垃圾分类", "餐饮油烟"),
        sections="HFOE",
        kinds=("individual", "enterprise"),
        own_street=True,
    )
    for _, street, short in STREETS
)

NON_ENFORCEMENT_ORGS = (
    Org("ZGH", "区总工会", "district", is_enforcement=False),
    Org("FL", "区妇联", "district", is_enforcement=False),
    Org("GSL", "区工商联", "district", is_enforcement=False),
) + tuple(
    Org(f"DGW-{short}", f"{street}街道党工委", "street", is_enforcement=False, street=street)
    for _, street, short in STREETS
)


# Street offices (街道办事处): the street's government; they visit enterprises to promote
# policy and hear their needs (非执法). Listed after the community stations.
STREET_OFFICES = tuple(
    Org(f"JD-{short}", f"{street}街道办事处", "street", is_enforcement=False, street=street)
    for _, street, short in STREETS
)


def community_station_code(street_short: str, n: int) -> str:
    """Code of the n-th (1-based) community work station (社区工作站) of a street."""
    return f"SQ-{street_short}-{n:02d}"


# ---------------------------------------------------------------------------
# The key enterprise in 福城 (the study's Figure 2)
# ---------------------------------------------------------------------------

KEY_ENTERPRISE_NAME = "深圳市恒科智能装备制造有限公司"
KEY_ENTERPRISE_STREET = "福城"
KEY_ENTERPRISE_COMMUNITY = "章阁"
KEY_ENTERPRISE_PARK = "九龙山产业城"
KEY_ENTERPRISE_INDUSTRY = ("C", "3982")
KEY_ENTERPRISE_EMPLOYEES = 2_600
KEY_ENTERPRISE_TAGS = ("hazchem", "discharge", "special_eq", "fire_key", "occupational", "confined")
KEY_ENTERPRISE_PERIOD = ("2019-01-01", "2019-10-31")
# 45 enforcement actions by department (demo's split of the study's 75 − 30).
KEY_ENTERPRISE_ACTIONS = {
    "YJGL": 9,
    "SZ-STHJ": 8,
    "SZ-SCJG": 7,
    "XFJY": 6,
    "ZF-FC": 4,
    "ZJJ": 3,
    "RLZY": 3,
    "WSJK": 3,
    "SWJ": 2,
}
KEY_ENTERPRISE_ACTION_ORIGINS = {
    "campaign": 15,
    "plan": 12,
    "higher_order": 8,
    "random_draw": 5,
    "complaint": 3,
    "referral": 2,
}
# 30 non-enforcement visits: organisation code (or "community") -> (count, purposes)
KEY_ENTERPRISE_VISITS = {
    "ZGH": (8, ("工会组建和职工权益走访", "职工之家建设调研", "劳动竞赛动员", "困难职工帮扶摸底")),
    "FL": (6, ("女职工权益保护调研", "巾帼文明岗创建指导", "母婴室建设走访")),
    "DGW-FC": (
        8,
        ("非公企业党建工作指导", "党组织组建情况调研", "党员活动阵地检查", "主题教育宣讲"),
    ),
    "community": (8, ("来深人员信息核查", "社区安全生产宣传", "统计数据核查", "企业诉求走访")),
}

# ---------------------------------------------------------------------------
# Working-day calendars. Sources: 国务院办公厅关于2019年部分节假日安排的通知
# （国办发明电〔2018〕15号）及关于调整2019年劳动节假期安排的通知（国办发明电〔2019〕2号）；
# 国务院办公厅关于2020年部分节假日安排的通知（国办发明电〔2019〕16号）及
# 关于延长2020年春节假期的通知（国办发明电〔2020〕1号）。
# ---------------------------------------------------------------------------

HOLIDAYS = {
    2019: (
        ("2019-01-01", "2019-01-01"),
        ("2019-02-04", "2019-02-10"),
        ("2019-04-05", "2019-04-07"),
        ("2019-05-01", "2019-05-04"),
        ("2019-06-07", "2019-06-09"),
        ("2019-09-13", "2019-09-15"),
        ("2019-10-01", "2019-10-07"),
    ),
    2020: (
        ("2020-01-01", "2020-01-01"),
        ("2020-01-24", "2020-02-02"),
        ("2020-04-04", "2020-04-06"),
        ("2020-05-01", "2020-05-05"),
        ("2020-06-25", "2020-06-27"),
        ("2020-10-01", "2020-10-08"),
    ),
}
# Weekend days that were working days (调休上班).
MAKE_UP_WORKDAYS = {
    2019: ("2019-02-02", "2019-02-03", "2019-04-28", "2019-05-05", "2019-09-29", "2019-10-12"),
    2020: ("2020-01-19", "2020-04-26", "2020-05-09", "2020-06-28", "2020-09-27", "2020-10-10"),
}

# ---------------------------------------------------------------------------
# Demo accounts (password printed by the command)
# ---------------------------------------------------------------------------

DEMO_PASSWORD = "wurao-demo"
# username, role, display name, anchor ("department:<code>", "street:<name>", "key_enterprise" or "")
DEMO_ACCOUNTS = (
    ("sfj", "justice", "区司法局执法监督科", ""),
    ("yjj_admin", "dept_admin", "区应急管理局管理员", "department:YJGL"),
    ("yjj_inspector", "inspector", "区应急管理局执法员", "department:YJGL"),
    ("fucheng", "street", "福城街道协调员", "street:福城"),
    ("qiye", "enterprise", "重点企业联络员", "key_enterprise"),
)
