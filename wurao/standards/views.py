"""The standards library's pages: public reading and search; imports for department
administrators (their own department) and the bureau."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from wurao.accounts.policy import PUBLIC, policy
from wurao.common.pagination import page_range
from wurao.common.rendering import render_page_or_partial
from wurao.standards import selectors
from wurao.standards.forms import ImportForm, SearchForm
from wurao.standards.models import Article, Document, DocumentVersion
from wurao.standards.services import ImportRequest, files_import

PER_PAGE = 20


@policy(PUBLIC)
def library(request):
    """Documents by department, kind, topic, industry; with a query, the articles that hold it."""
    form = SearchForm(request.GET or None, facets=selectors.facets())
    filters = form.filters()
    context = {"form": form, "query": filters["q"]}
    if filters["q"]:
        result = selectors.article_search(query=filters["q"], filters=filters)
        page = Paginator(result.hits, PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = selectors.hits_load(hits=list(page.object_list), terms=result.terms)
        context |= {"result": result, "page_obj": page, "page_range": page_range(page)}
    else:
        documents = selectors.document_list(filters=filters)
        page = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
        context |= {"page_obj": page, "page_range": page_range(page)}
    return render_page_or_partial(
        request, "standards/library.html", "standards/_results.html", context
    )


def _version_page(request, document: Document, version: DocumentVersion | None):
    articles = list(selectors.version_articles(version=version)) if version else []
    return render(
        request,
        "standards/document.html",
        {"document": document, "version": version, "articles": articles},
    )


@policy(PUBLIC)
def document_detail(request, pk: int):
    try:
        document = selectors.document_get(pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None
    return _version_page(request, document, document.current)


@policy(PUBLIC)
def version_detail(request, pk: int, version_pk: int):
    try:
        document = selectors.document_get(pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None
    version = next((v for v in document.versions.all() if v.pk == version_pk), None)
    if version is None:
        raise Http404
    return _version_page(request, document, version)


@policy(PUBLIC)
def article_detail(request, pk: int):
    """An article's permanent address: its place in its version's page."""
    try:
        article = selectors.article_get(pk=pk)
    except Article.DoesNotExist:
        raise Http404 from None
    url = reverse(
        "standards:version-detail", args=[article.version.document_id, article.version_id]
    )
    return redirect(f"{url}#{article.anchor}")


@policy("standards.import")
def import_files(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    reports = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        files = [(f.name, f.read()) for f in data["files"]]
        reports = files_import(
            actor=request.user,
            files=files,
            request=ImportRequest(
                kind=data["kind"],
                effective_from=data["effective_from"],
                department=data["department"],
                title=data["title"],
                designation=data["designation"],
                issuer=data["issuer"],
                label=data["label"],
                topics=form.topic_list(),
            ),
            commit=data["commit"],
        )
    return render(
        request,
        "standards/import.html",
        {
            "form": form,
            "reports": reports,
            "committed": form.cleaned_data.get("commit") if reports is not None else False,
        },
    )
