import datetime

import pytest

from wurao.standards.choices import DocumentKind
from wurao.standards.services import document_create, version_import

FIRE_CODE = """建筑设计防火规范
6 建筑构造
6.2 建筑构件和管道井
6.2.7 消防控制室和其他设备房开向建筑内的门应采用乙级防火门。
6.2.8 防火墙上不应开设门窗；火门、防火卷帘分别设置。
6.2.9 <script>alert(1)</script> 防火 防火 防火 的要求。
"""


@pytest.fixture
def fire_code(department):
    """A standard of the department with three clauses, in force since 2018."""
    document = document_create(
        actor="test",
        title="建筑设计防火规范",
        kind=DocumentKind.STANDARD,
        designation="GB 50016-2014",
        department=department,
        topics=["消防"],
        industries=["C"],
    )
    version_import(
        actor="test", document=document, text=FIRE_CODE, effective_from=datetime.date(2018, 10, 1)
    )
    return document
