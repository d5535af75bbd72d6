"""Extraction on Spark: the batch step (quotes.batch) over every input file, in `mapPartitions`.

    binary files (JSON lines, Parquet) -> mapPartitions(quotes.batch.extract_files) -> one row per article
        -> DIR/articles/ (Parquet: the catalog's article columns)
        -> DIR/quotes/   (Parquet: the fields of `quotes extract --json`, article_id among them)

Part of the `quotes[spark]` extra: only the `quotes spark` command imports this module, and the core never
does. Each file is one record for Spark (its bytes), read by the batch step as `quotes index` reads it,
so ids and messages are the same; keep input shards to tens of MB (Spark holds a file in one task, up to
2 GB). Spark's Python workers must run an interpreter that has `quotes` installed: PYSPARK_PYTHON, which
defaults here to this one (right for `local[N]`; set it for a cluster).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from quotes.batch import (
    ARTICLE_COLUMNS,
    ARTICLES_DIR,
    INPUT_SUFFIXES,
    INSTALL_HINT,
    QUOTE_COLUMNS,
    QUOTES_DIR,
    BatchError,
    extract_files,
)
from quotes.model import QuotesError

try:
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException
    from pyspark.sql import SparkSession, Window
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
except ImportError as e:  # the command line turns this into its one line
    raise QuotesError(f"`quotes spark` needs PySpark: {INSTALL_HINT}") from e

log = logging.getLogger(__name__)

# Errors brought back to the driver and reported; past this many only their number is (the rest are in
# Spark's logs and the input): a run over millions of articles with a systematic fault must not flood it.
MAX_REPORTED_ERRORS = 1000
# Spark's own chatter at this level and above only; its INFO lines drown the report.
SPARK_LOG_LEVEL = "WARN"

_STR, _INT, _FLOAT = T.StringType(), T.LongType(), T.DoubleType()
_QUOTE_TYPES = {"start": _INT, "end": _INT, "speaker_start": _INT, "speaker_end": _INT, "confidence": _FLOAT}
ARTICLE_SCHEMA = T.StructType([T.StructField(c, _STR, True) for c in ARTICLE_COLUMNS])
QUOTE_SCHEMA = T.StructType([T.StructField(c, _QUOTE_TYPES.get(c, _STR), True) for c in QUOTE_COLUMNS])
ROW_SCHEMA = T.StructType([
    T.StructField("source", _STR, False),
    T.StructField("seq", _INT, False),
    T.StructField("article", ARTICLE_SCHEMA, True),
    T.StructField("quotes", T.ArrayType(QUOTE_SCHEMA, False), False),
    T.StructField("error", _STR, True),
])


@dataclass(frozen=True, slots=True)
class SparkReport:
    """What one `quotes spark` run wrote."""

    out: str
    files: int
    articles: int
    quotes: int
    failed: int
    seconds: float
    errors: tuple[str, ...] = field(default=())  # at most MAX_REPORTED_ERRORS lines "where: message"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["errors"] = list(self.errors)
        return d


def run(inputs: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str],
        master: str | None = None) -> SparkReport:
    """Extract the quotations of every article in these files, folders or URIs into Parquet under `out`.

    Writes `out/articles/` and `out/quotes/`; `quotes index out` loads them without extracting again. Of
    two records with one id, the first (by file name, then place in the file) is kept and the other
    reported, as `quotes index` does. Raises BatchError when `out` already holds a batch output.
    """
    began = time.perf_counter()
    sources = [_source(p) for p in inputs]
    target = Path(out)
    for part in (ARTICLES_DIR, QUOTES_DIR):
        if (target / part).exists():
            raise BatchError(f"{target / part}/ already exists; remove it or give another --out DIR")
    spark = _session(master)
    try:
        files = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
                 .option("pathGlobFilter", "*.{" + ",".join(s.lstrip(".") for s in INPUT_SUFFIXES) + "}")
                 .load(sources))
        rows = files.select("path", "content").rdd.mapPartitions(_partition)
        first = Window.partitionBy("article.id").orderBy("source", "seq")
        # extracted once, then counted, written twice and its errors collected from memory (or disk)
        table = (spark.createDataFrame(rows, ROW_SCHEMA)
                 .withColumn("rank", F.when(F.col("error").isNull(), F.row_number().over(first))).persist())
        kept, failing = F.col("rank") == 1, F.col("error").isNotNull() | (F.col("rank") > 1)
        counts = table.agg(F.countDistinct("source"), F.count(F.when(kept, 1)),
                           F.sum(F.when(kept, F.size("quotes")).otherwise(0)), F.count(F.when(failing, 1))).first()
        n_files, written, n_quotes, failed = (int(v or 0) for v in counts)
        table.where(kept).select("article.*").write.parquet(str(target / ARTICLES_DIR))
        table.where(kept).select(F.explode("quotes").alias("q")).select("q.*").write.parquet(str(target / QUOTES_DIR))
        errors = table.where(failing).select(F.coalesce(F.col("error"), F.concat(
            F.col("article.path"), F.lit(": the same id "), F.col("article.id"),
            F.lit(" as an earlier record; skipped (give each article its own id or url)"))).alias("error"))
        shown = tuple(r.error for r in errors.limit(MAX_REPORTED_ERRORS).collect()) if failed else ()
        table.unpersist()
    except (PySparkException, Py4JJavaError) as e:  # a path Spark cannot read, a cluster that refuses the job
        first = next((line.strip() for line in str(e).splitlines() if line.strip()), type(e).__name__)
        raise BatchError(f"Spark failed: {first[:300]}; check the inputs and --master (Spark's log says more)") from e
    finally:
        spark.stop()
    return SparkReport(str(target), n_files, written, n_quotes, failed, round(time.perf_counter() - began, 3), shown)


def _partition(files: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    """In a Spark worker: the batch step over this partition's files, as rows of ROW_SCHEMA."""
    for r in extract_files((row.path, bytes(row.content)) for row in files):
        yield (r.source, r.seq, r.article, r.quotes, r.error)


def _source(path: str | os.PathLike[str]) -> str:
    """A local path made absolute (it must exist); a URI (s3a://, hdfs://, file:) as given."""
    text = os.fspath(path)
    if "://" in text or text.startswith("file:"):
        return text
    p = Path(text)
    if not p.exists():
        raise BatchError(f"no such file or folder: {text}; check the path")
    return p.resolve().as_uri()


def _session(master: str | None) -> SparkSession:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers must import this very `quotes`
    builder = SparkSession.builder.appName("quotes").config("spark.ui.enabled", "false")
    builder = builder.config("spark.ui.showConsoleProgress", "false")  # a bar redrawn on stderr is noise in a log
    if master:
        builder = builder.master(master)
    if not master or master.startswith("local"):  # no network at run time: the driver talks to loopback
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(SPARK_LOG_LEVEL)
    return spark
