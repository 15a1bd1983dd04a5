"""What the OpenAPI schema says beyond each view's own declarations (drf-spectacular's
postprocessing hooks, listed in settings.SPECTACULAR_SETTINGS)."""

PAGE_NOT_FOUND = "页码无效或超出最后一页（page 为从 1 开始的整数），如 page=1"


def page_not_found_documented(result, generator, request, public):
    """Every paginated list answers 404 for a page that is not a page of it (DRF's pagination:
    page=0, or past the last): each operation with a `page` parameter says so, without each
    view repeating it."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            parameters = operation.get("parameters", []) if isinstance(operation, dict) else []
            if any(p.get("in") == "query" and p.get("name") == "page" for p in parameters):
                operation["responses"].setdefault("404", {"description": PAGE_NOT_FOUND})
    return result
