"""The server's index definitions for N shards: a config file that Sphinx 2.2 and Manticore both read.

    quotes server-config --shards 4 --data /var/lib/quotes --port 9306 > quotes.conf && searchd -c quotes.conf

NAME_0 ... NAME_{N-1} are real-time indexes (a quote goes to shard int(id, 16) % N), NAME a distributed
index over them, NAME_vocab the words fuzzy queries look up. Words arrive analysed (see sphinxql), so the
indexes keep them as they are: no morphology, no stop words, every byte of a-z, 0-9 and `_` a letter.
"""

from __future__ import annotations

from pathlib import Path

from quotes.index.sphinx.sphinxql import ATTRIBUTES, FIELDS

# Memory an RT shard fills before it writes a disk chunk: bigger means fewer chunks to merge on a search.
RT_MEM_LIMIT = "256M"
# searchd reads the shards of the distributed index one at a time unless given threads for them
# (`dist_threads`, Sphinx 2.2; Manticore searches them in parallel anyway and warns that it is obsolete).
# Prefix search (`initiat*`, `glo?al`) needs the dictionary of words, and prefixes from one letter.
DICTIONARY = "dict = keywords\n  min_prefix_len = 1"


def config(shards: int, data: str | Path, port: int = 9306, name: str = "quotes", *, host: str = "127.0.0.1") -> str:
    """The text of a config file: `shards` RT indexes under `data`, searchd on host:port (SphinxQL)."""
    if shards < 1:
        raise ValueError(f"--shards must be at least 1 (got {shards})")
    data = Path(data).absolute()
    body = "\n".join([f"  rt_field = {f}" for f in FIELDS]
                     + [f"  rt_attr_{kind} = {a}" for a, kind in ATTRIBUTES.items()])
    parts = []
    for i in range(shards):
        parts.append(f"index {name}_{i}\n{{\n  type = rt\n  path = {data}/{name}_{i}\n{body}\n"
                     f"  rt_mem_limit = {RT_MEM_LIMIT}\n  {DICTIONARY}\n}}\n")
    locals_ = "\n".join(f"  local = {name}_{i}" for i in range(shards))
    parts.append(f"index {name}\n{{\n  type = distributed\n{locals_}\n}}\n")
    parts.append(f"index {name}_vocab\n{{\n  type = rt\n  path = {data}/{name}_vocab\n  rt_field = w\n"
                 f"  rt_attr_string = fld\n  rt_attr_string = word\n  rt_mem_limit = 64M\n  {DICTIONARY}\n}}\n")
    parts.append(f"searchd\n{{\n  listen = {host}:{port}:mysql41\n  log = {data}/searchd.log\n"
                 f"  query_log = {data}/query.log\n  pid_file = {data}/searchd.pid\n  binlog_path = {data}\n"
                 f"  workers = threads\n  dist_threads = {shards}\n}}\n")
    return "\n".join(parts)
