"""The rules of 企业服务 (portal). Filled in by its issue."""
