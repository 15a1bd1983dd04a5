"""Time the standards library's Chinese search on PostgreSQL and on SQLite (issue 17 [portal]).

    .venv/bin/python -m bench.search --json [--articles 100000] [--queries 40] [--seed 17]
                                            [--pg-url postgres://postgres@127.0.0.1:5432/wurao_bench_search]
                                            [--sqlite var/bench-search.sqlite3] [--keep]

Synthetic, deterministic data: `--articles` standard articles (100,000 ≈ 60 million characters)
in documents of 100 articles each, written from a vocabulary of about 300 regulatory words drawn
with Zipf weights (so a query of one character may match most articles and one of four a
handful), with clause numbers and a few Latin designations. Each database runs in its own fresh
process (`--worker`): the bench creates it (PostgreSQL: its own database, dropped afterwards
unless --keep; SQLite: a file under var/), migrates it, loads the articles without the search
index, then times the index build: computing every article's grams in Python (grams_s) and
building the index (PostgreSQL: the tsvector column written with the rows, then the GIN index;
SQLite: the FTS5 table's inserts). Then for each query length (1, 2, 4 characters) `--queries`
queries picked from the generated text at several frequency ranks (common to rare, plus absent
ones) are timed through the selector the page uses (`article_search`, ranked, then the first
page of 20 loaded and highlighted by `hits_load`), after one warm-up pass. The recall is the
fraction of the articles a LIKE scan over the same searchable text finds that the unbounded
search finds too (must be 1.0; checked on a sample of the queries of each length).

Prints ONE JSON object: pg_p95_ms, sqlite_p95_ms (the worst p95 over the three lengths),
build_s (the slower database's grams_s + index_s), recall (the lower), and per database and
length the medians and p95s (pg_median_1_ms, sqlite_p95_4_ms...), the match counts' range,
the load and index times and the database sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/wurao_bench_search"
DEFAULT_SQLITE = "var/bench-search.sqlite3"
PER_DOCUMENT = 100
PAGE = 20
LENGTHS = (1, 2, 4)

WORD_TEXT = (
    "应当 企业 生产 经营 单位 安全 管理 制度 责任 人员 设备 设施 检查 监督 部门 规定 要求 采取 措施 "
    "防止 发生 事故 消防 防火 防火门 建筑 楼梯间 疏散 通道 出口 耐火 极限 不低于 小时 楼板 隔墙 分隔 "
    "设置 符合 下列 标准 规范 技术 条件 危险 化学品 储存 使用 运输 装卸 废物 污染 排放 大气 水体 噪声 "
    "振动 环境 保护 影响 评价 许可 登记 备案 审批 申请 材料 提交 期限 日内 作出 决定 行政 处罚 罚款 "
    "万元 以上 以下 责令 改正 停产 停业 整顿 吊销 执照 违法 行为 情节 严重 构成 犯罪 依法 追究 刑事 "
    "职工 培训 教育 考核 合格 上岗 作业 特种 操作 证书 劳动 防护 用品 配备 佩戴 维护 保养 定期 检测 "
    "检验 记录 保存 年限 应急 预案 演练 救援 物资 报告 隐患 排查 治理 整改 验收 重大 风险 评估 分级 "
    "管控 场所 人员密集 公共 卫生 食品 药品 质量 计量 价格 广告 合同 社会保险 工资 支付 加班 休息 "
    "休假 未成年人 女职工 电气 线路 照明 通风 空气调节 机房 变配电室 控制室 水泵房 灭火 器材 消火栓 "
    "喷淋 报警 系统 自动 联动 电源 供电 备用 柴油 发电机 储罐 仓库 堆垛 间距 厂房 丙类 甲类 乙类 "
    "地下 楼层 高层 多层 民用 工业 锂电池 电芯 充电 温度 监测 泥头车 渣土 夜间 施工 工地 扬尘 围挡 "
    "冲洗 车辆 道路 主干道 通行 禁止 限制 时段 机器人 装配 调试 防护栏 急停 功能 出厂 园区 街道 社区 "
    "居民 投诉 举报 核实 处理 答复 公开 公示 信息 平台 数据 共享 联合 执法 抽查 信用 等级 承诺 修复 "
    "主要 负责人 全员 岗位 操作规程 危险源 辨识 警示 标志 醒目 位置 外包 承包 发包 租赁 出租 协议 "
    "相关方 交叉 动火 临时用电 有限空间 粉尘 涉爆 除尘 积尘 清扫 液氨 制冷 泄漏 探测 喷淋 冷库 压铸 "
    "熔融 金属 吊运 起重 机械 电梯 锅炉 压力容器 气瓶 充装 燃气 管道 阀门 仪表 校验 标定 台账 档案 "
    "电子 网络 视频 在线 传输 保存期 不得 少于 三年 一年 六个月 每季度 每月 每周 每日 及时 立即 如实"
)
WORDS = list(dict.fromkeys(WORD_TEXT.split()))
PUNCT_EVERY = 7
TAIL_WORDS = 4000


def vocabulary(seed: int) -> list[str]:
    """The regulatory words, then a long tail of rarer terms (names of substances, places,
    equipment) made of 2–3 characters from a pool of 1,500, so that rare characters,
    pairs and four-character strings exist as they do in a real library."""
    rng = np.random.default_rng(seed + 7)
    pool = [chr(0x4E00 + int(c)) for c in rng.choice(0x7000 - 0x4E00, size=1500, replace=False)]
    tail = {
        "".join(pool[int(i)] for i in rng.choice(len(pool), size=int(rng.integers(2, 4))))
        for _ in range(TAIL_WORDS)
    }
    return WORDS + sorted(tail - set(WORDS))


def generate(n: int, seed: int) -> tuple[list[str], list[str]]:
    """(texts, numbers) of n articles, about 600 characters each, deterministic from the seed."""
    rng = np.random.default_rng(seed)
    words = vocabulary(seed)
    # Zipf: the regulatory words lead (in an order the seed shuffles), the tail follows.
    head = rng.permutation(len(WORDS))
    ranks = np.concatenate([head, np.arange(len(WORDS), len(words))]) + 1
    probabilities = 1.0 / ranks.astype(float) ** 1.1
    probabilities /= probabilities.sum()
    lengths = rng.integers(210, 340, size=n)  # words: about 600 characters
    draws = rng.choice(len(words), size=int(lengths.sum()), p=probabilities)
    marks = rng.random(int(lengths.sum()))
    texts, numbers = [], []
    cursor = 0
    for i, length in enumerate(lengths.tolist()):
        parts = []
        for j in range(cursor, cursor + length):
            parts.append(words[draws[j]])
            if marks[j] < 1 / PUNCT_EVERY:
                parts.append("。" if marks[j] < 1 / (PUNCT_EVERY * 4) else "，")
        if i % 50 == 0:
            parts.append(f"按照GB {50000 + i % 997}-20{10 + i % 15}执行。")
        cursor += length
        texts.append("".join(parts) + "。")
        chapter, section, clause = 1 + (i % 100) // 25, 1 + (i % 25) // 5, 1 + i % 5
        numbers.append(f"{chapter}.{section}.{clause}")
    return texts, numbers


def pick_queries(texts: list[str], per_length: int, seed: int) -> dict[int, list[str]]:
    """Queries of 1, 2 and 4 characters from the text at spread frequency ranks (common to rare)
    and a few absent ones, deterministic."""
    rng = np.random.default_rng(seed + 1)
    sample = [texts[i] for i in rng.choice(len(texts), size=min(2000, len(texts)), replace=False)]
    queries: dict[int, list[str]] = {}
    absent = {1: ["鑫", "犇"], 2: ["量子", "航天"], 4: ["量子通信", "量子航天"]}
    for length in LENGTHS:
        counts: dict[str, int] = {}
        for text in sample:
            for k in range(0, len(text) - length + 1, 1 if length < 4 else 3):
                gram = text[k : k + length]
                if all("\u4e00" <= ch <= "\u9fff" for ch in gram):
                    counts[gram] = counts.get(gram, 0) + 1
        ranked = sorted(counts, key=lambda g: (-counts[g], g))
        present = per_length - len(absent[length])
        picks = np.unique(np.geomspace(1, len(ranked), num=present * 2).astype(int) - 1)
        chosen = [ranked[i] for i in picks[:: max(1, len(picks) // present)]][:present]
        queries[length] = chosen + absent[length]
    return queries


# --- the worker: one database in its own process -------------------------------------------


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "wurao-bench-search-not-a-secret")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _load(texts: list[str], numbers: list[str]) -> tuple[list[int], float]:
    """Documents and versions through the ORM, articles in bulk, without the index."""
    import datetime

    from django.db import connection, transaction

    from wurao.standards import sql
    from wurao.standards.models import Article, Document, DocumentVersion

    table = Article._meta.db_table
    with connection.cursor() as cursor:
        for statement in sql.index_drop_statements(connection.vendor, table):
            cursor.execute(statement)
    started = time.perf_counter()
    n_docs = (len(texts) + PER_DOCUMENT - 1) // PER_DOCUMENT
    with transaction.atomic():
        docs = Document.objects.bulk_create(
            Document(title=f"合成规范{d:04d}", designation=f"GB {60000 + d}-2020", kind="standard")
            for d in range(n_docs)
        )
        versions = DocumentVersion.objects.bulk_create(
            DocumentVersion(
                document=doc, label="2020年版", effective_from=datetime.date(2020, 1, 1)
            )
            for doc in docs
        )
        if not versions[0].pk:
            versions = list(DocumentVersion.objects.order_by("document_id"))
        rows = [
            (
                versions[i // PER_DOCUMENT].pk,
                i % PER_DOCUMENT + 1,
                numbers[i],
                "c" + numbers[i].replace(".", "-") + f"-{i % PER_DOCUMENT}",
                "",
                texts[i],
            )
            for i in range(len(texts))
        ]
        columns = ["version_id", "position", "number", "anchor", "heading", "text"]
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(
                    f"COPY {qn(table)} ({', '.join(columns)}) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO {qn(table)} ({', '.join(columns)}) VALUES (%s, %s, %s, %s, %s, %s)",
                    rows,
                )
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    return ids, time.perf_counter() - started


def _build(ids: list[int], texts: list[str], numbers: list[str], designations: list[str]) -> dict:
    from django.db import connection, transaction

    from wurao.standards import sql
    from wurao.standards.grams import index_grams, searchable
    from wurao.standards.models import Article

    started = time.perf_counter()
    grams = [
        index_grams(searchable(designations[i // PER_DOCUMENT], numbers[i], texts[i]))
        for i in range(len(texts))
    ]
    grams_s = time.perf_counter() - started
    started = time.perf_counter()
    table = Article._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        statements = sql.index_create_statements(connection.vendor, table)
        if connection.vendor == "postgresql":
            cursor.execute(statements[0])  # the column, then the rows' vectors, then the index
            cursor.execute("CREATE TEMP TABLE bench_grams (id bigint, grams text)")
            with cursor.cursor.copy("COPY bench_grams (id, grams) FROM STDIN") as copy:
                for pk, g in zip(ids, grams, strict=True):
                    copy.write_row((pk, g))
            cursor.execute(
                f"UPDATE {table} a SET {sql.VECTOR_COLUMN} = "
                "array_to_tsvector(string_to_array(g.grams, ' ')) FROM bench_grams g WHERE g.id = a.id"
            )
            vectors_s = time.perf_counter() - started
            for statement in statements[1:]:
                cursor.execute(statement)
            cursor.execute(f"ANALYZE {table}")
        else:
            for statement in statements:
                cursor.execute(statement)
            sql.articles_index(zip(ids, grams, strict=True))
            vectors_s = 0.0
    index_s = time.perf_counter() - started
    return {"grams_s": grams_s, "index_s": index_s, "vectors_s": vectors_s}


def _time_queries(queries: dict[int, list[str]]) -> dict[str, Any]:
    from wurao.standards.selectors import article_search, hits_load

    out: dict[str, Any] = {}
    for length, qs in queries.items():
        for q in qs:  # warm-up: the page cache, as a running server has it
            article_search(query=q)
        times, counts, truncated = [], [], 0
        for _ in range(2):
            for q in qs:
                started = time.perf_counter()
                result = article_search(query=q)
                hits_load(hits=result.hits[:PAGE], terms=result.terms)
                times.append((time.perf_counter() - started) * 1000)
                counts.append(result.count)
                truncated += result.more
        times.sort()
        out[f"median_{length}_ms"] = round(statistics.median(times), 2)
        out[f"p95_{length}_ms"] = round(times[int(0.95 * (len(times) - 1))], 2)
        out[f"max_{length}_ms"] = round(times[-1], 2)
        out[f"hits_{length}_range"] = [min(counts), max(counts)]
        out[f"truncated_{length}"] = truncated // 2
    out["p95_ms"] = max(out[f"p95_{n}_ms"] for n in queries)
    return out


def _recall(queries: dict[int, list[str]], per_length: int) -> dict[str, Any]:
    """Articles a LIKE scan over the searchable text finds, against the unbounded search."""
    from django.db import connection

    from wurao.standards.models import Article, Document, DocumentVersion
    from wurao.standards.selectors import article_search

    qn = connection.ops.quote_name
    sql_like = (
        f"SELECT a.id FROM {qn(Article._meta.db_table)} a "
        f"JOIN {qn(DocumentVersion._meta.db_table)} v ON v.id = a.version_id "
        f"JOIN {qn(Document._meta.db_table)} d ON d.id = v.document_id "
        "WHERE lower(d.designation || ' ' || a.number || ' ' || a.text) LIKE %s"
    )
    expected = found = extra = 0
    for qs in queries.values():
        for q in qs[:: max(1, len(qs) // per_length)][:per_length]:
            with connection.cursor() as cursor:
                cursor.execute(sql_like, [f"%{q.lower()}%"])
                like = {row[0] for row in cursor.fetchall()}
            searched = {h.article_id for h in article_search(query=q, limit=10**9).hits}
            expected += len(like)
            found += len(like & searched)
            extra += len(searched - like)
    return {
        "recall": found / expected if expected else 1.0,
        "false_positives": extra,
        "recall_articles": expected,
    }


def _size(database_url: str) -> int:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    return Path(urlsplit(database_url).path).stat().st_size


def worker(args: argparse.Namespace) -> dict[str, Any]:
    _setup(args.worker_url)
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - started
    texts, numbers = generate(args.articles, args.seed)
    ids, load_s = _load(texts, numbers)
    n_docs = (len(texts) + PER_DOCUMENT - 1) // PER_DOCUMENT
    built = _build(ids, texts, numbers, [f"GB {60000 + d}-2020" for d in range(n_docs)])
    queries = pick_queries(texts, args.queries, args.seed)
    out = {
        "articles": len(texts),
        "characters": sum(map(len, texts)),
        "migrate_s": round(migrate_s, 2),
        "load_s": round(load_s, 2),
        **{k: round(v, 2) for k, v in built.items()},
        "build_s": round(built["grams_s"] + built["index_s"], 2),
        **_time_queries(queries),
        **_recall(queries, args.recall_queries),
        "bytes": _size(args.worker_url),
        "queries": queries,
    }
    return out


# --- the driver ----------------------------------------------------------------------------


def _pg_admin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres", query="")), parts.path.lstrip("/")


def _pg(url: str, statement: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _pg_admin(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if statement == "create":
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _run_worker(url: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "bench.search",
        "--worker-url",
        url,
        "--articles",
        str(args.articles),
        "--queries",
        str(args.queries),
        "--seed",
        str(args.seed),
        "--recall-queries",
        str(args.recall_queries),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"worker for {url} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=40, help="per query length")
    parser.add_argument("--recall-queries", type=int, default=6, help="per length, for recall")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--sqlite", default=DEFAULT_SQLITE)
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--worker-url", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker_url:
        print(json.dumps(worker(args), ensure_ascii=False))
        return
    results: dict[str, dict[str, Any]] = {}
    sqlite_path = (ROOT / args.sqlite).resolve()
    sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    sqlite_path.unlink(missing_ok=True)
    try:
        if not args.no_sqlite:
            results["sqlite"] = _run_worker(f"sqlite:///{sqlite_path}", args)
    finally:
        if not args.keep:
            sqlite_path.unlink(missing_ok=True)
    if not args.no_pg:
        _pg(args.pg_url, "create")
        try:
            results["pg"] = _run_worker(args.pg_url, args)
        finally:
            if not args.keep:
                _pg(args.pg_url, "drop")
    first = next(iter(results.values()))
    summary: dict[str, Any] = {
        "articles": first["articles"],
        "characters": first["characters"],
        "pg_p95_ms": results.get("pg", {}).get("p95_ms"),
        "sqlite_p95_ms": results.get("sqlite", {}).get("p95_ms"),
        "build_s": max(r["build_s"] for r in results.values()),
        "recall": min(r["recall"] for r in results.values()),
    }
    for db, r in results.items():
        for key, value in r.items():
            if key not in ("articles", "characters", "queries", "p95_ms", "recall"):
                summary[f"{db}_{key}"] = value
        summary[f"{db}_recall"] = r["recall"]
    summary["queries"] = first["queries"]
    print(
        json.dumps(summary, ensure_ascii=False)
        if args.json
        else json.dumps(summary, ensure_ascii=False, indent=2)
    )


if __name__ == "__main__":
    main()
