"""The rules of 自查自纠 (selfcheck). Filled in by its issue."""
