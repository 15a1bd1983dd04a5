from wurao.imports.management.commands._base import ImportCommand


class Command(ImportCommand):
    help = (
        "导入非现场监测预警（CSV 或 XLSX，模板见 docs/import-templates.md），按来源编号更新或新增。"
        "默认试运行，加 --commit 才写入。"
    )
    target = "alerts"
