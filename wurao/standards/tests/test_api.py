"""GET /api/standards/?q= and the document and article endpoints: public, paginated."""

import pytest

from wurao.standards.models import Article

pytestmark = pytest.mark.django_db


def test_the_search_api_answers_anyone_with_ranked_highlighted_pages(client, fire_code):
    response = client.get("/api/standards/", {"q": "防火"})

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3 and data["truncated"] is False
    first = data["results"][0]
    assert first["number"] == "6.2.9" and first["occurrences"] == 3
    assert "<mark>防火</mark>" in first["snippet"] and "<script>" not in first["snippet"]
    assert first["url"].endswith("#c6-2-9") and first["status"] == "in_force"


def test_the_search_api_says_which_parameter_is_wrong(client, fire_code):
    assert client.get("/api/standards/").json()["count"] == 0  # no term finds nothing
    assert "kind" in client.get("/api/standards/", {"q": "门", "kind": "poem"}).json()
    assert client.get("/api/standards/", {"q": "噪声"}).json()["count"] == 0


def test_documents_and_articles_read_by_id(client, fire_code):
    article = Article.objects.get(number="6.2.7")

    documents = client.get("/api/standards/documents/").json()
    document = client.get(f"/api/standards/documents/{fire_code.pk}/").json()
    one = client.get(f"/api/standards/articles/{article.pk}/").json()

    assert documents["count"] == 1 and documents["results"][0]["status"] == "in_force"
    assert [a["number"] for a in document["articles"]] == ["6.2.7", "6.2.8", "6.2.9"]
    assert one["anchor"] == "c6-2-7"
    assert client.get("/api/standards/articles/999999/").status_code == 404
