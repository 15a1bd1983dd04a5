"""The upload form of the justice bureau's import page."""

from django import forms

from wurao.imports.services import TARGETS

MAX_UPLOAD_BYTES = 100 * 1024 * 1024


class UploadForm(forms.Form):
    target = forms.ChoiceField(
        label="导入内容",
        choices=list(TARGETS.items()),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": "请选择要导入的内容",
            "invalid_choice": "请选择企业、执法人员或检查事项",
        },
    )
    file = forms.FileField(
        label="文件",
        help_text="按模板填写的 Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码）文件",
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".xlsx,.csv,.txt"}
        ),
        error_messages={
            "required": "请选择要上传的文件",
            "empty": "文件为空：没有表头，也没有数据。请使用导入模板填写后再上传。",
            "invalid": "没有收到文件，请重新选择",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"文件过大（{upload.size / 1024 / 1024:.0f} MB，上限 {MAX_UPLOAD_BYTES // 1024 // 1024} MB）。"
                "请拆分后分批上传，或由管理员用命令 wurao import_enterprises 等导入。"
            )
        return upload
