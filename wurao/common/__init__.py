"""The utility kit every app may import: forms, API fields, pagination, rendering, SQL helpers,
spreadsheet cells, credit codes. It imports no app of wurao (checked by import-linter)."""
