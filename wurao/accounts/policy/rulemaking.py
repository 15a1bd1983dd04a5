"""The rules of 标准冲突与征求意见 (rulemaking). Filled in by its issue."""
