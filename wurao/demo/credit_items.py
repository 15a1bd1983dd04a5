"""The catalogue behind the demo's credit records: the commitment items departments offer,
the awards they confer, the monitoring systems that raise alerts, and the key 福城
enterprise's own story. Pure data, no Django import; the demo's assumptions, written as a
district would publish them.
"""

from dataclasses import dataclass

HAZARD_TAGS = ("hazchem", "dust", "confined", "ammonia", "metal_melt")


@dataclass(frozen=True)
class CommitmentItem:
    """A commitment a department offers; who may sign it: an entity of one of `kinds`
    (0 enterprise, 1 individual business) with one of `tags` or in one of `sections`
    (either, when both are empty). `breaches`: what a department writes when it finds the
    commitment broken ("{month}": the month it was found)."""

    department: str
    code: str
    title: str
    text: str
    breaches: tuple[str, ...]
    tags: tuple[str, ...] = ()
    sections: str = ""
    kinds: tuple[int, ...] = (0,)


COMMITMENT_ITEMS = (
    CommitmentItem(
        "YJGL", "YJGL-CN-01", "安全生产主体责任承诺",
        "严格遵守《中华人民共和国安全生产法》，落实全员安全生产责任制，按规定开展安全风险分级管控和"
        "隐患排查治理；违反承诺的，自愿接受依法处理并记入信用记录。",
        ("{month}检查发现重大事故隐患未按承诺及时整改", "{month}检查发现未按承诺开展隐患排查治理"),
        tags=HAZARD_TAGS, sections="C",
    ),
    CommitmentItem(
        "YJGL", "YJGL-CN-02", "危险化学品安全管理承诺",
        "落实《危险化学品安全管理条例》，危险化学品专库专储、双人双锁，重大危险源包保责任到人；"
        "违反承诺的，自愿接受依法处理并记入信用记录。",
        ("{month}检查发现未按规定开展重大危险源安全风险辨识评估，未履行承诺",
         "{month}检查发现危险化学品超量储存，未履行承诺"),
        tags=("hazchem",),
    ),
    CommitmentItem(
        "YJGL", "YJGL-CN-03", "粉尘涉爆与有限空间作业安全承诺",
        "粉尘涉爆场所按规定清扫除尘、有限空间作业先通风再检测后作业；违反承诺的，自愿接受依法处理。",
        ("{month}检查发现除尘系统未按承诺定期清理", "{month}检查发现有限空间作业未检测即进入"),
        tags=("dust", "confined", "metal_melt", "ammonia"),
    ),
    CommitmentItem(
        "SZ-SCJG", "SZ-SCJG-CN-01", "食品安全承诺",
        "依照《中华人民共和国食品安全法》从事食品生产经营，落实进货查验和索证索票，保证食品安全；"
        "违反承诺的，自愿接受依法处理并记入信用记录。",
        ("{month}抽检发现销售过期食品，未履行承诺", "{month}检查发现未落实进货查验记录，未履行承诺"),
        tags=("food",), kinds=(0, 1),
    ),
    CommitmentItem(
        "SZ-SCJG", "SZ-SCJG-CN-02", "产品质量安全承诺",
        "依照《中华人民共和国产品质量法》组织生产，不生产国家明令淘汰和不符合标准的产品；"
        "违反承诺的，自愿接受依法处理。",
        ("{month}监督抽查产品不合格，未履行承诺",),
        sections="C",
    ),
    CommitmentItem(
        "SZ-SCJG", "SZ-SCJG-CN-03", "特种设备安全管理承诺",
        "特种设备依法登记、按期定期检验，作业人员持证上岗；违反承诺的，自愿接受依法处理。",
        ("{month}检查发现电梯超期未检验，未履行承诺", "{month}检查发现特种设备作业人员无证上岗"),
        tags=("special_eq",),
    ),
    CommitmentItem(
        "SZ-SCJG", "SZ-SCJG-CN-04", "诚信经营承诺",
        "依法诚信经营，如实公示年度报告等企业信息，不作虚假宣传；违反承诺的，自愿接受依法处理。",
        ("{month}核查发现年度报告公示信息隐瞒真实情况，未履行承诺",),
        sections="FHLMIKO", kinds=(0, 1),
    ),
    CommitmentItem(
        "SZ-STHJ", "SZ-STHJ-CN-01", "依法按证排污承诺",
        "依照排污许可证规定排放污染物，自动监控设施正常运行、数据真实；违反承诺的，"
        "自愿接受依法处理并记入环境信用记录。",
        ("{month}自动监控数据显示超标排放，未履行承诺", "{month}检查发现治污设施未正常运行，未履行承诺"),
        tags=("discharge",), kinds=(0, 1),
    ),
    CommitmentItem(
        "SZ-STHJ", "SZ-STHJ-CN-02", "危险废物规范化环境管理承诺",
        "危险废物按规定贮存、转移联单齐全、交有资质单位处置；违反承诺的，自愿接受依法处理。",
        ("{month}检查发现危险废物未按规定贮存，未履行承诺",),
        tags=("hazchem", "discharge"),
    ),
    CommitmentItem(
        "SZ-STHJ", "SZ-STHJ-CN-03", "建设项目环境影响评价告知承诺",
        "按告知承诺审批的环境影响报告落实各项环保措施，三同时验收后方投入生产；违反承诺的，"
        "自愿承担撤销审批等后果。",
        ("{month}核查发现环保措施未按承诺落实",),
        sections="C",
    ),
    CommitmentItem(
        "RLZY", "RLZY-CN-01", "按时足额支付劳动报酬承诺",
        "依照《保障农民工工资支付条例》按月足额支付劳动者工资，不拖欠；违反承诺的，"
        "自愿接受依法处理并记入信用记录。",
        ("{month}查实拖欠劳动者工资，未履行承诺",),
        sections="CEFGHIKLM",
    ),
    CommitmentItem(
        "RLZY", "RLZY-CN-02", "依法参加社会保险承诺",
        "依法为全体职工参加社会保险、足额缴纳社会保险费；违反承诺的，自愿接受依法处理。",
        ("{month}核查发现未为部分职工参加社会保险，未履行承诺",),
        sections="CEFGHIKLM",
    ),
    CommitmentItem(
        "RLZY", "RLZY-CN-03", "工程建设领域农民工工资专用账户承诺",
        "在建工程开设农民工工资专用账户、实行实名制管理和总包代发；违反承诺的，自愿接受依法处理。",
        ("{month}检查发现未按规定开设工资专用账户，未履行承诺",),
        tags=("construction",), sections="E",
    ),
    CommitmentItem(
        "XFJY", "XFJY-CN-01", "公众聚集场所投入使用、营业前消防安全告知承诺",
        "场所符合消防技术标准和管理规定，承诺内容真实；违反承诺的，自愿接受依法处理。",
        ("{month}核查发现场所不符合消防安全要求，与承诺不符",),
        tags=("crowded",), kinds=(0, 1),
    ),
    CommitmentItem(
        "XFJY", "XFJY-CN-02", "消防安全主体责任承诺",
        "落实消防安全责任制，消防设施完好有效，疏散通道畅通；违反承诺的，自愿接受依法处理。",
        ("{month}检查发现疏散通道堵塞，未履行承诺", "{month}检查发现消防设施损坏未修复，未履行承诺"),
        tags=("fire_key", "crowded"), kinds=(0, 1),
    ),
    CommitmentItem(
        "XFJY", "XFJY-CN-03", "消防设施维护保养检测承诺",
        "依照《中华人民共和国消防法》第十六条，每年至少全面检测一次建筑消防设施，委托有资质的机构"
        "维护保养，确保完好有效；违反承诺的，自愿接受依法处理。",
        ("{month}检查发现消防设施未按规定维护保养，未履行承诺",),
        tags=("fire_key",),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Award:
    department: str
    title: str  # "{year}": the year it was awarded
    tags: tuple[str, ...] = ()
    sections: str = ""


AWARDS = (
    Award("YJGL", "{year}年度安全生产标准化三级达标企业", tags=HAZARD_TAGS, sections="C"),
    Award("SZ-SCJG", "{year}年度广东省“守合同重信用”企业", sections="CEFGHIKLM"),
    Award("SZ-SCJG", "{year}年度餐饮服务食品安全示范单位", tags=("food",)),
    Award("SZ-STHJ", "{year}年度环境信用评价环保诚信企业", tags=("discharge", "hazchem")),
    Award("RLZY", "{year}年度龙华区劳动关系和谐企业", sections="CEFGHIKLM"),
    Award("XFJY", "{year}年度消防安全标准化管理达标单位", tags=("fire_key", "crowded")),
)


@dataclass(frozen=True)
class AlertSource:
    department: str
    name: str  # 监测来源
    prefix: str  # of the source's own alert numbers (来源编号)
    tag: str  # the risk tag of the enterprises it watches
    # (text, unit): "{x}" is a figure drawn per alert (2–12 × the alert's level) × unit.
    texts: tuple[tuple[str, float], ...]


ALERT_SOURCES = (
    AlertSource(
        "SZ-STHJ", "重点排污单位自动监控系统", "HJZK", "discharge",
        (("废水总排口化学需氧量小时均值超过排放限值 {x} 倍", 0.1),
         ("废水总排口总镍小时均值超过排放限值 {x} 倍", 0.1),
         ("废气排放口挥发性有机物浓度超过排放限值 {x} 倍", 0.1)),
    ),
    AlertSource(
        "SZ-STHJ", "用电工况监控系统", "HJGK", "discharge",
        (("生产设施运行期间治污设施停运约 {x} 小时", 1), ("治污设施用电量较正常工况下降 {x}%", 2.5)),
    ),
    AlertSource(
        "YJGL", "危险化学品重大危险源监测预警系统", "YJWH", "hazchem",
        (("储罐区可燃气体浓度报警，持续约 {x} 分钟", 5), ("储罐液位超高限报警 {x} 次", 1),
         ("仓库温度超过设定上限 {x} ℃", 1)),
    ),
)  # fmt: skip

# The key 福城 enterprise's own story, fixed: (source index, date, level, text); (item code,
# signed, status, decided, note). Its portal shows the grade these make, an objection to
# the first alert and a repair of the broken commitment (wurao.demo.credit_build).
KEY_ALERTS = (
    (0, "2020-09-14", 2, "废水总排口总镍小时均值 0.62 mg/L，超过排放限值 0.5 mg/L"),
    (1, "2020-11-23", 1, "生产设施运行期间治污设施停运约 3 小时"),
    (2, "2020-12-08", 2, "甲类仓库可燃气体浓度报警（25% LEL），持续约 12 分钟"),
)
KEY_COMMITMENTS = (
    ("YJGL-CN-01", "2019-03-15", "fulfilled", "2020-03-31", ""),
    ("YJGL-CN-02", "2019-06-10", "breached", "2020-08-20",
     "{month}检查发现未按规定开展重大危险源安全风险辨识评估，未履行承诺"),
    ("SZ-STHJ-CN-01", "2019-05-06", "fulfilled", "2020-05-29", ""),
    ("RLZY-CN-01", "2020-01-10", "fulfilled", "2020-12-15", ""),
    ("SZ-SCJG-CN-02", "2020-07-01", "signed", "", ""),
)  # fmt: skip
