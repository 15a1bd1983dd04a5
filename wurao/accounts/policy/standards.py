"""The rules of 执法标准与政策 (standards). Filled in by its issue."""
