"""bench.search's synthetic library, its queries, and a small run of the whole bench on SQLite."""

import json

from bench import search


def test_the_library_is_deterministic_and_about_600_characters_an_article():
    texts, numbers = search.generate(400, seed=3)
    again, _ = search.generate(400, seed=3)

    assert texts == again
    assert 500 < sum(map(len, texts)) / len(texts) < 750
    assert numbers[0] == "1.1.1"


def test_queries_of_each_length_spread_from_common_to_absent():
    texts, _ = search.generate(1000, seed=3)

    queries = search.pick_queries(texts, 8, seed=3)

    for length, picked in queries.items():
        assert len(picked) == 8 and all(len(q) == length for q in picked)
        hits = [sum(q in t for t in texts) for q in picked]
        assert max(hits) > min(h for h in hits if h) and hits[-1] == 0
    two = [sum(q in t for t in texts) for q in queries[2]]
    assert max(two) > 10 * min(h for h in two if h)  # common to rare


def test_a_small_run_on_sqlite_prints_one_json_object_with_full_recall(tmp_path, capsys):
    search.main(
        [
            "--json",
            "--articles",
            "300",
            "--queries",
            "4",
            "--no-pg",
            "--sqlite",
            str(tmp_path / "bench.sqlite3"),
        ]
    )

    result = json.loads(capsys.readouterr().out)
    assert result["recall"] == 1.0 and result["sqlite_false_positives"] == 0
    assert result["sqlite_p95_ms"] > 0 and result["build_s"] > 0
