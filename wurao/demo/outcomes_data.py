"""The demo district's discretion standards, exemption lists and observation periods (issue
[outcomes]). Pure data, no Django import.

The laws and article numbers are real (《中华人民共和国安全生产法》2021 年修正,
《中华人民共和国消防法》2021 年修正, 《中华人民共和国食品安全法》2021 年修正,
《中华人民共和国广告法》2021 年修正, 《中华人民共和国行政处罚法》2021 年修订); the bands and
amounts are the demo's own, written inside each article's statutory range, and every list is
titled 演示: a district enters its own published standards.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    name: str
    circumstances: str
    measure: str
    min_amount: int | None = None
    max_amount: int | None = None


@dataclass(frozen=True)
class Standard:
    department: str  # department code
    code: str
    violation: str
    item: str  # the name of the department's catalogue item it belongs to
    legal_basis: str
    bands: tuple[Band, ...]


STANDARDS: tuple[Standard, ...] = (
    Standard(
        "YJGL",
        "YJ-CL-001",
        "未如实记录安全生产教育和培训情况",
        "从业人员安全生产教育培训检查",
        "违反《中华人民共和国安全生产法》第二十八条第四款，"
        "依据第九十七条第三项：责令限期改正，处十万元以下的罚款",
        (
            Band("较轻", "初次违法，培训记录缺漏不超过三人次，已当场补记", "罚款", 1_000, 10_000),
            Band("一般", "培训记录缺漏超过三人次，或责令改正后仍有缺漏", "罚款", 10_000, 50_000),
            Band("严重", "伪造培训记录，或因未培训导致生产安全事故隐患", "罚款", 50_000, 100_000),
        ),
    ),
    Standard(
        "YJGL",
        "YJ-CL-002",
        "未建立事故隐患排查治理制度或未如实记录隐患排查治理情况",
        "事故隐患排查治理情况检查",
        "违反《中华人民共和国安全生产法》第四十一条第二款，"
        "依据第一百零一条第五项：责令限期改正，处十万元以下的罚款",
        (
            Band("较轻", "制度已建立但记录不全，未发现重大事故隐患", "罚款", 2_000, 20_000),
            Band("一般", "未建立制度，或记录缺失一个月以上", "罚款", 20_000, 60_000),
            Band("严重", "隐瞒重大事故隐患或拒不整改", "罚款", 60_000, 100_000),
        ),
    ),
    Standard(
        "XFJY",
        "XF-CL-001",
        "消防设施、器材未保持完好有效",
        "建筑消防设施完好有效检查",
        "违反《中华人民共和国消防法》第十六条第一款第二项，"
        "依据第六十条第一款第一项：责令改正，处五千元以上五万元以下罚款",
        (
            Band("较轻", "个别灭火器失效或指示标志损坏，当场或限期内改正", "罚款", 5_000, 15_000),
            Band("一般", "自动消防系统部分故障，影响局部灭火或报警", "罚款", 15_000, 30_000),
            Band(
                "严重", "自动消防系统整体瘫痪，或人员密集场所营业期间故障", "罚款", 30_000, 50_000
            ),
        ),
    ),
    Standard(
        "XFJY",
        "XF-QZ-001",
        "存在重大火灾隐患，不及时消除可能严重威胁公共安全",
        "人员密集场所疏散通道和安全出口检查",
        "依据《中华人民共和国消防法》第五十四条、第七十条第四款：对危险部位或者场所采取临时查封措施",
        (
            Band(
                "临时查封",
                "疏散通道、安全出口被封堵，营业期间无法立即消除",
                "临时查封危险部位或场所",
            ),
        ),
    ),
    Standard(
        "SZ-SCJG",
        "SC-CL-001",
        "食品经营者未按规定建立并遵守进货查验记录制度",
        "食品生产经营监督检查",
        "违反《中华人民共和国食品安全法》第五十三条，"
        "依据第一百二十六条第一款第三项：责令改正，给予警告；拒不改正的，处五千元以上五万元以下罚款",
        (
            Band("较轻", "首次发现，记录缺漏个别批次，已改正", "警告"),
            Band("一般", "责令改正后仍未建立或缺漏较多", "罚款", 5_000, 20_000),
            Band("严重", "拒不改正，或涉及婴幼儿食品等特殊食品", "罚款", 20_000, 50_000),
        ),
    ),
)


@dataclass(frozen=True)
class Entry:
    kind: str  # first_offence | minor
    sector: str
    violation: str
    legal_basis: str
    department: str = ""  # with `item`: the catalogue item the entry names
    item: str = ""
    standard: str = ""  # a discretion standard's code
    needs_first_offence: bool = True
    needs_minor_harm: bool = True
    needs_corrected: bool = True


@dataclass(frozen=True)
class ExemptionListData:
    level: str  # city | district | department
    title: str
    department: str  # department code for a department's list
    entries: tuple[Entry, ...]


EXEMPTIONS: tuple[ExemptionListData, ...] = (
    ExemptionListData(
        "city",
        "深圳市市场监管和安全生产领域轻微违法行为不予处罚清单（演示）",
        "",
        (
            Entry(
                "first_offence",
                "market",
                "食品经营者初次未按规定建立进货查验记录，危害后果轻微并及时改正",
                "《中华人民共和国行政处罚法》第三十三条第一款",
                "SZ-SCJG",
                "食品生产经营监督检查",
                "SC-CL-001",
            ),
            Entry(
                "minor",
                "market",
                "广告中使用绝对化用语，情节轻微且在责令改正期限内删除",
                "《中华人民共和国行政处罚法》第三十三条第一款",
                "SZ-SCJG",
                "广告发布行为监督检查",
                needs_first_offence=False,
            ),
        ),
    ),
    ExemptionListData(
        "district",
        "龙华区安全生产领域首违不罚清单（演示）",
        "",
        (
            Entry(
                "first_offence",
                "work_safety",
                "初次未如实记录安全生产教育和培训情况，危害后果轻微并及时改正",
                "《中华人民共和国行政处罚法》第三十三条第一款；《中华人民共和国安全生产法》第九十七条",
                "YJGL",
                "从业人员安全生产教育培训检查",
                "YJ-CL-001",
            ),
        ),
    ),
    ExemptionListData(
        "department",
        "区应急管理局轻微违法行为免罚清单（演示）",
        "YJGL",
        (
            Entry(
                "minor",
                "work_safety",
                "隐患排查治理记录不全，未发现重大事故隐患并在期限内补全",
                "《中华人民共和国行政处罚法》第三十三条第一款",
                "YJGL",
                "事故隐患排查治理情况检查",
                "YJ-CL-002",
                needs_first_offence=False,
            ),
        ),
    ),
)


@dataclass(frozen=True)
class Observation:
    name: str
    industry_codes: tuple[str, ...]
    months: int
    note: str


OBSERVATIONS: tuple[Observation, ...] = (
    Observation(
        "低空经济（智能无人飞行器制造）",
        ("3963",),
        24,
        "新业态：观察期内对初次、轻微的问题先行说服教育、指导约谈；存在严重安全风险或拒不改正的除外。",
    ),
    Observation(
        "直播电商与互联网营销",
        ("5292", "7259"),
        12,
        "新业态：观察期内以提示、劝导为主，涉及食品安全、虚假宣传造成损害的除外。",
    ),
)
