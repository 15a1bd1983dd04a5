"""Industry sections of GB/T 4754-2017, used to classify enterprises and to filter by industry.
No Django import: the import engine's cell parsers read it too."""


def gettext_noop(message: str) -> str:
    """Marks a name for the translation catalogue; pages show it through gettext."""
    return message


# GB/T 4754-2017 国民经济行业分类: the 2-digit division (大类) decides the section letter (门类).
INDUSTRY_SECTIONS: tuple[tuple[str, int, int, str], ...] = (
    ("A", 1, 5, gettext_noop("农、林、牧、渔业")),
    ("B", 6, 12, gettext_noop("采矿业")),
    ("C", 13, 43, gettext_noop("制造业")),
    ("D", 44, 46, gettext_noop("电力、热力、燃气及水生产和供应业")),
    ("E", 47, 50, gettext_noop("建筑业")),
    ("F", 51, 52, gettext_noop("批发和零售业")),
    ("G", 53, 60, gettext_noop("交通运输、仓储和邮政业")),
    ("H", 61, 62, gettext_noop("住宿和餐饮业")),
    ("I", 63, 65, gettext_noop("信息传输、软件和信息技术服务业")),
    ("J", 66, 69, gettext_noop("金融业")),
    ("K", 70, 70, gettext_noop("房地产业")),
    ("L", 71, 72, gettext_noop("租赁和商务服务业")),
    ("M", 73, 75, gettext_noop("科学研究和技术服务业")),
    ("N", 76, 79, gettext_noop("水利、环境和公共设施管理业")),
    ("O", 80, 82, gettext_noop("居民服务、修理和其他服务业")),
    ("P", 83, 83, gettext_noop("教育")),
    ("Q", 84, 85, gettext_noop("卫生和社会工作")),
    ("R", 86, 90, gettext_noop("文化、体育和娱乐业")),
    ("S", 91, 96, gettext_noop("公共管理、社会保障和社会组织")),
    ("T", 97, 97, gettext_noop("国际组织")),
)
SECTION_LETTERS = frozenset(letter for letter, *_ in INDUSTRY_SECTIONS)


def industry_section_of(division: int) -> str | None:
    """The GB/T 4754 section letter of a 2-digit division, or None if there is no such division."""
    for letter, low, high, _ in INDUSTRY_SECTIONS:
        if low <= division <= high:
            return letter
    return None
