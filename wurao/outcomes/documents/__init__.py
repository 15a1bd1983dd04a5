"""The documents an inspection and a case produce, as DOCX (docxtpl, from the editable Word
templates in doc_templates/) and PDF (WeasyPrint, from the print templates in
templates/outcomes/documents/), with the same content:

- 行政处罚决定书 (说理式) and its kin — 不予行政处罚决定书, 行政强制措施决定书, a soft
  measure's record — from a Case (content.decision_content);
- 责令改正通知书 from a FindingNotice (content.notice_content);
- 现场检查笔录, or 非现场检查记录, from an EnforcementAction (content.record_content).

What each document says is built once, as plain data (content.py); render.py lays it out.
"""
