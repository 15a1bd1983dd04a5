"""The rules of 投诉与举报 (complaints). Filled in by its issue."""
