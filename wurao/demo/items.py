"""Risk tags and each department's published inspection items (检查事项清单) for the demo.

Pure data, no Django import. Each item cites the statute and the article that
gives the department its power to inspect (or, where the power sits in the
department's general supervision article, that article); the check points say
what is looked at, in plain words. The departments' lists are in items_safety.py and
items_regulation.py; the street teams' list is here.
"""

from wurao.demo.item_types import AIR, SAFETY, SOLID, Item
from wurao.demo.items_regulation import REGULATION_ITEMS
from wurao.demo.items_safety import SAFETY_ITEMS

# code, name, description
RISK_TAGS = (
    ("hazchem", "危化品", "生产、储存、使用、经营危险化学品"),
    ("dust", "粉尘涉爆", "存在可燃性粉尘爆炸危险的作业（铝镁粉尘、木粉、纸粉等）"),
    ("confined", "有限空间", "存在污水池、储罐、地下室等有限空间作业"),
    ("special_eq", "特种设备", "使用锅炉、压力容器、电梯、起重机械、场（厂）内机动车辆等"),
    ("food", "食品", "从事食品生产经营"),
    ("discharge", "排污", "排放废水、废气或产生危险废物，纳入排污许可管理"),
    ("fire_key", "消防重点", "消防安全重点单位或火灾高危单位"),
    ("ammonia", "涉氨制冷", "使用液氨制冷的冷库、食品加工"),
    ("construction", "建筑施工", "在建工程施工现场"),
    ("occupational", "职业病危害", "存在粉尘、噪声、化学毒物等职业病危害因素"),
    ("crowded", "人员密集", "公众聚集场所、人员密集场所"),
    ("metal_melt", "金属熔融", "涉及高温熔融金属的压铸、铸造作业"),
)


ITEMS: dict[str, tuple[Item, ...]] = {**SAFETY_ITEMS, **REGULATION_ITEMS}

# The six street teams publish the same list under their own codes.
STREET_TEAM_ITEMS = (
    Item(
        "违法建设巡查检查",
        "中华人民共和国城乡规划法",
        "第五十三条",
        "建设工程规划许可、在建违法建筑、临时建筑",
        ("construction",),
        "EFH",
    ),
    Item(
        "生产经营单位安全生产巡查",
        SAFETY,
        "第九条",
        "街道办事处按照职责对辖区生产经营单位安全生产状况进行监督检查",
        (),
        "CFH",
        key=True,
    ),
    Item(
        "“三小”场所和出租屋消防安全巡查",
        SAFETY,
        "第九条",
        "小档口、小作坊、小娱乐场所用火用电、疏散条件",
        ("fire_key", "crowded"),
        "FHO",
    ),
    Item(
        "门店招牌和户外广告检查",
        "城市市容和环境卫生管理条例",
        "第十一条",
        "招牌设置、外观整洁、安全牢固",
        (),
        "FHO",
    ),
    Item(
        "餐饮油烟和露天烧烤巡查",
        AIR,
        "第二十九条",
        "油烟净化设施、禁止区域内露天烧烤",
        ("food",),
        "H",
    ),
    Item("生活垃圾分类检查", SOLID, "第二十六条", "分类投放、分类收集容器设置", (), "FHO"),
)


def items_for(department_code: str) -> tuple[Item, ...]:
    if department_code.startswith("ZF-"):
        return STREET_TEAM_ITEMS
    return ITEMS.get(department_code, ())


def item_code(department_code: str, n: int) -> str:
    """Published item code: department code and the item's 1-based number."""
    return f"{department_code}-{n:02d}"
