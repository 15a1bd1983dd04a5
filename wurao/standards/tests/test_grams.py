"""The search's grams, queries and highlights, without a database."""

from wurao.standards.grams import highlight, index_grams, query_terms
from wurao.standards.splitting import LAW, STANDARD, chinese_number, split_articles


def test_index_grams_hold_every_character_and_every_adjacent_pair_and_latin_words():
    grams = index_grams("防火门 GB 50016").split()

    assert {"防", "火", "门", "防火", "火门", "gb", "50016"} <= set(grams)
    assert "防火门" not in grams


def test_a_long_query_needs_its_bigrams_and_a_number_may_be_the_start_of_a_longer_one():
    (term,) = query_terms("防火门")
    (number,) = query_terms("5001")

    assert term.grams == ("防火", "火门") and term.text == "防火门"
    assert number.prefix == "5001" and not number.grams


def test_highlight_escapes_html_and_marks_every_occurrence():
    html = highlight("<b>防火</b>门与防火墙", query_terms("防火"))

    assert html == "&lt;b&gt;<mark>防火</mark>&lt;/b&gt;门与<mark>防火</mark>墙"


def test_law_articles_split_on_chinese_numerals_under_their_chapter():
    split = split_articles("第一章 总则\n第一条 目的。\n第四十三条 夜间施工。\n续行。", style=LAW)

    assert [(a.number, a.anchor, a.heading) for a in split.articles] == [
        ("第一条", "a1", "第一章 总则"),
        ("第四十三条", "a43", "第一章 总则"),
    ]
    assert split.articles[1].text == "夜间施工。\n续行。"
    assert chinese_number("一百一十") == 110


def test_standard_clauses_split_on_their_numbers_and_keep_their_headings():
    text = "6 建筑构造\n6.2 建筑构件和管道井\n6.2.7 消防控制室的门应采用乙级防火门。"

    split = split_articles(text, style=STANDARD)

    (article,) = split.articles
    assert (article.number, article.anchor) == ("6.2.7", "c6-2-7")
    assert article.heading == "6 建筑构造 6.2 建筑构件和管道井"
