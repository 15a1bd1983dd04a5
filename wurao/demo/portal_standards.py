"""The demo district's standards library (issue [portal]): a few dozen documents over the demo's
departments, imported through the standards services from texts with real article structure,
and the catalogue's items linked to the articles their legal basis cites.

Laws and regulations carry their real titles and article numbers; their texts here are short
excerpts or summaries marked 演示摘录 (read the official text). Documents that are not real law
are marked 演示 in their title. The conflict register's demo looks six of them up by designation
and article number (GB 50016-2014 6.2.7, GB 50974-2014 5.5.12, 噪声污染防治法 第四十三条, and the
three 演示 documents below).
"""

from __future__ import annotations

import datetime
from typing import Any

from wurao.catalogue import selectors as catalogue_selectors
from wurao.catalogue.services import item_article_link
from wurao.demo.items import ITEMS, STREET_TEAM_ITEMS
from wurao.registry import selectors as registry_selectors
from wurao.standards import selectors as standards_selectors
from wurao.standards.choices import DocumentKind as K
from wurao.standards.services import document_create, version_import, version_repeal

EXCERPT = "（演示摘录，以官方公布文本为准）"
D = datetime.date

# designation, title, kind, department code, issuer, topics, industries, versions:
# [(label, effective_from, effective_to, text)]
GB50016 = (
    """建筑设计防火规范（2018年版）
6 建筑构造
6.2 建筑构件和管道井
6.2.7 附设在建筑内的消防控制室、灭火设备室、消防水泵房和通风空气调节机房、变配电室等，应采用耐火极限不低于2.00h的防火隔墙和1.50h的楼板与其他部位分隔。设置在丁、戊类厂房内的通风机房，应采用耐火极限不低于1.00h的防火隔墙和0.50h的楼板与其他部位分隔。通风、空气调节机房和变配电室开向建筑内的门应采用甲级防火门，消防控制室和其他设备房开向建筑内的门应采用乙级防火门。
6.4 疏散楼梯间和疏散楼梯等
6.4.2 封闭楼梯间除应符合本规范第6.4.1条的规定外，尚应符合下列规定：不能自然通风或自然通风不能满足要求时，应设置机械加压送风系统或采用防烟楼梯间。"""
    + EXCERPT
)

GB50974 = (
    """消防给水及消火栓系统技术规范
5 供水设施
5.5 消防水泵房
5.5.12 消防水泵房应符合下列规定：1 独立建造的消防水泵房耐火等级不应低于二级；2 附设在建筑物内的消防水泵房，不应设置在地下三层及以下，或室内地面与室外出入口地坪高差大于10m的地下楼层；3 附设在建筑物内的消防水泵房，应采用耐火极限不低于2.0h的隔墙和1.50h的楼板与其他部位隔开，其疏散门应直通安全出口，且开向疏散走道的门应采用甲级防火门。
5.5.14 消防水泵房应采取防水淹没的技术措施。"""
    + EXCERPT
)

NOISE = (
    """中华人民共和国噪声污染防治法
第一章 总则
第一条 为了防治噪声污染，保障公众健康，保护和改善生活环境，维护社会和谐，推进生态文明建设，促进经济社会可持续发展，制定本法。
第五章 建筑施工噪声污染防治
第四十三条 在噪声敏感建筑物集中区域，禁止夜间进行产生噪声的建筑施工作业，但抢修、抢险施工作业，因生产工艺要求或者其他特殊需要必须连续施工作业的除外。因特殊需要必须连续施工作业的，应当取得地方人民政府住房和城乡建设、生态环境主管部门或者地方人民政府指定的部门的证明，并在施工现场显著位置公示或者以其他方式公告附近居民。
第九章 附则
第八十八条 “夜间”，是指晚上十点至次日早晨六点之间的期间，设区的市级以上人民政府可以另行规定本行政区域夜间的起止时间。"""
    + EXCERPT
)

MUCK_2019 = """关于泥头车限时通行的通告（演示）
第一条 为保障道路交通安全畅通，减少泥头车对市民出行的影响，制定本通告。（演示）
第二条 本通告所称泥头车，是指运输余泥、渣土、建筑垃圾的重型自卸货车。（演示）
第三条 每日7时至9时、17时至20时，泥头车禁止在主干道通行。（演示）"""
MUCK_2021 = """关于泥头车限时通行的通告（演示）
第一条 为保障道路交通安全畅通，减少泥头车对市民出行的影响，制定本通告。（演示）
第二条 本通告所称泥头车，是指运输余泥、渣土、建筑垃圾的重型自卸货车。（演示）
第三条 每日7时至22时，泥头车禁止在辖区主干道通行；因此泥头车运输集中在夜间22时至次日7时进行，经过居民区时须减速、禁鸣。（演示）
第四条 违反本通告的，由公安机关交通管理部门依法处理。（演示）"""

BATTERY = """锂离子电池生产使用企业安全管理指引（演示）
第一章 总则
第一条 为加强锂离子电池生产、储存和使用环节的安全管理，防范火灾和爆炸事故，制定本指引。（演示）
第二条 本指引适用于辖区内生产锂离子电池或者在产品中使用锂离子电池组件的企业。（演示）
第二章 储存管理
第八条 企业储存锂离子电池及电芯，应当设置独立的储存区域，与生产区、办公区保持安全距离，控制储存数量和荷电状态，配备温度监测和自动灭火设施，由应急管理部门按照工贸行业安全生产监管职责实施监督检查。（演示）
第九条 废旧、鼓包电池应当单独存放于防火容器内，及时交有资质的单位处置。（演示）"""
BATTERY_2027 = BATTERY.replace("控制储存数量和荷电状态", "控制储存数量，荷电状态不超过50%").replace(
    "第九条", "第十条 企业每季度开展一次电池储存区应急演练。（演示）\n第九条"
)

ROBOT = """工业机器人制造企业安全检查要点（演示）
第一条 为规范工业机器人制造企业的安全检查，明确检查要点，制定本要点。（演示）
第二条 本要点适用于工业机器人整机及关键零部件制造企业。（演示）
第五条 工业机器人制造企业的安全检查由工业和信息化、市场监督管理部门按照产品质量和机械安全要求实施，重点检查装配调试区安全防护、机器人安全停止功能和出厂检验记录；本要点未对企业所用电池组件的储存作出规定。（演示）
第六条 检查发现问题的，应当书面告知企业整改期限。（演示）"""

EXTRA: list[tuple] = [
    (
        "GB 50016-2014",
        "建筑设计防火规范（2018年版）",
        K.STANDARD,
        "XFJY",
        "住房和城乡建设部",
        ["消防", "建筑防火"],
        [],
        [("2018年版", D(2018, 10, 1), None, GB50016)],
    ),
    (
        "GB 50974-2014",
        "消防给水及消火栓系统技术规范",
        K.STANDARD,
        "XFJY",
        "住房和城乡建设部",
        ["消防"],
        [],
        [("2014年版", D(2014, 10, 1), None, GB50974)],
    ),
    (
        "中华人民共和国噪声污染防治法",
        "中华人民共和国噪声污染防治法",
        K.LAW,
        "SZ-STHJ",
        "全国人民代表大会常务委员会",
        ["噪声", "建筑施工"],
        [],
        [("2021年", D(2022, 6, 5), None, NOISE)],
    ),
    (
        "深交警泥头车通告（演示）",
        "关于泥头车限时通行的通告（演示）",
        K.NORMATIVE,
        None,
        "交通警察支队（演示）",
        ["道路交通", "泥头车"],
        [],
        [
            ("2019年版", D(2019, 3, 1), None, MUCK_2019),
            ("2021年版", D(2021, 1, 1), None, MUCK_2021),
        ],
    ),
    (
        "锂电池企业安全指引（演示）",
        "锂离子电池生产使用企业安全管理指引（演示）",
        K.GUIDANCE,
        "YJGL",
        "应急管理局（演示）",
        ["锂电池", "工贸安全"],
        ["C"],
        [
            ("2023年版", D(2023, 7, 1), None, BATTERY),
            ("2027年修订（征求意见后）", D(2027, 1, 1), None, BATTERY_2027),
        ],
    ),
    (
        "工业机器人制造安全要点（演示）",
        "工业机器人制造企业安全检查要点（演示）",
        K.GUIDANCE,
        "SZ-SCJG",
        "工业和信息化局、市场监督管理局（演示）",
        ["机器人", "产品质量"],
        ["C"],
        [("2024年版", D(2024, 1, 1), None, ROBOT)],
    ),
]

# The statutes the catalogue cites, with their dates (the version in force today) and issuers.
REGULATIONS = {"条例", "规定", "办法"}
STATUTE_DATES = {
    "中华人民共和国安全生产法": D(2021, 9, 1),
    "中华人民共和国消防法": D(2021, 4, 29),
    "中华人民共和国大气污染防治法": D(2018, 10, 26),
    "中华人民共和国固体废物污染环境防治法": D(2020, 9, 1),
    "中华人民共和国环境保护法": D(2015, 1, 1),
    "中华人民共和国水污染防治法": D(2018, 1, 1),
    "中华人民共和国食品安全法": D(2021, 4, 29),
    "中华人民共和国职业病防治法": D(2018, 12, 29),
}


def _statutes() -> dict[str, dict[str, Any]]:
    """Every statute the demo's items cite: its department (the first citing it), its articles
    with the items' check points as their summary."""
    statutes: dict[str, dict[str, Any]] = {}
    cited = [(code, item) for code, items in ITEMS.items() for item in items]
    cited += [(None, item) for item in STREET_TEAM_ITEMS]
    for code, item in cited:
        entry = statutes.setdefault(item.law, {"department": code, "articles": {}})
        if item.article:
            entry["articles"].setdefault(item.article, item.check_points)
    return statutes


def _statute_text(law: str, articles: dict[str, str]) -> str:
    from wurao.standards.splitting import chinese_number

    lines = [law, "第一章 总则", f"第一条 为了规范相关领域的管理，制定《{law}》。{EXCERPT}"]
    for number, points in sorted(articles.items(), key=lambda p: chinese_number(p[0][1:-1])):
        if number != "第一条":
            lines.append(f"{number} 有关主管部门依法对下列事项实施监督检查：{points}。{EXCERPT}")
    return "\n".join(lines)


def demo_standards_build(*, actor: Any, seed: int) -> dict[str, int]:
    """Build the library through the standards services; link items to the articles they cite."""
    departments = {d.code: d for d in registry_selectors.department_list()}
    documents = versions = 0
    for designation, title, kind, code, issuer, topics, industries, texts in EXTRA:
        document = document_create(
            actor=actor,
            title=title,
            kind=kind,
            designation=designation,
            issuer=issuer,
            department=departments.get(code) if code else None,
            topics=topics,
            industries=industries,
        )
        documents += 1
        for label, start, end, text in texts:
            version_import(
                actor=actor,
                document=document,
                text=text,
                label=label,
                effective_from=start,
                effective_to=end,
                source_name="demo",
            )
            versions += 1
    # The older 泥头车 notice gave way to the 2021 one; a repeal date makes it plain.
    muck = standards_selectors.document_list(filters={"q": "泥头车限时通行"})
    for document in muck:
        old = min(document.versions.all(), key=lambda v: v.effective_from)
        version_repeal(actor=actor, version=old, effective_to=D(2021, 1, 1))
    for law, entry in _statutes().items():
        kind = K.REGULATION if any(law.endswith(s) for s in REGULATIONS) else K.LAW
        document = document_create(
            actor=actor,
            title=law,
            kind=kind,
            designation=law,
            issuer="全国人民代表大会常务委员会" if kind == K.LAW else "国务院",
            department=departments.get(entry["department"] or ""),
            topics=[],
            industries=[],
        )
        documents += 1
        version_import(
            actor=actor,
            document=document,
            text=_statute_text(law, entry["articles"]),
            label="现行",
            effective_from=STATUTE_DATES.get(law, D(2019, 1, 1)),
            source_name="demo",
        )
        versions += 1
    links = 0
    for item in catalogue_selectors.item_list(filters={"active_only": False}):
        if not item.article:
            continue
        for article in standards_selectors.article_list_by_number(
            designation=item.law, number=item.article
        )[:1]:
            item_article_link(actor=actor, item=item, article=article)
            links += 1
    return {
        "standard_documents": documents,
        "standard_versions": versions,
        "item_article_links": links,
    }
