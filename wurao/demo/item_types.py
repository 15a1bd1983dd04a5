"""The demo catalogue's item type and the statutes its items cite. Pure data, no Django import."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    name: str
    law: str
    article: str
    check_points: str
    tags: tuple[str, ...] = ()
    sections: str = ""
    key: bool = False


SAFETY = "中华人民共和国安全生产法"
AIR = "中华人民共和国大气污染防治法"
WATER = "中华人民共和国水污染防治法"
SOLID = "中华人民共和国固体废物污染环境防治法"
ENV = "中华人民共和国环境保护法"
FIRE = "中华人民共和国消防法"
LABOUR = "中华人民共和国劳动法"
