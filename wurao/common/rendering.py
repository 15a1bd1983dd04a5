"""Rendering helpers for pages whose results refresh in place with htmx."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers


def render_page_or_partial(request, template: str, partial: str, context: dict):
    """The whole page on a normal request; only the results block when htmx asks for it.

    A history restore (back button after the cache was evicted) needs the whole page again.
    """
    wants_partial = bool(request.htmx) and not request.htmx.history_restore_request
    response = render(request, partial if wants_partial else template, context)
    form = context.get("form")
    if wants_partial and form is not None and form.errors:
        # A refused filter value must say so where the user is looking: above the results.
        errors = render_to_string("web/_filter_errors.html", {"form": form}, request=request)
        response.content = errors.encode() + response.content
    # The same URL answers with two bodies: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response
