from wurao.imports.management.commands._base import ImportCommand


class Command(ImportCommand):
    help = (
        "导入企业（CSV 或 XLSX，模板见 docs/import-templates.md）。默认试运行，加 --commit 才写入。"
    )
    target = "enterprises"
