"""A sweep's parts on disk: written atomically, recorded with provenance and sha256, verified.

Each finished task is written as two Parquet parts under ``DIR/parts/`` (temporary file, then
rename) and then a record ``task-NNNNNN.json`` holding its run ids, provenance (config hash,
preset hash, code version) and the sha256 of both files. The record makes the task count as
done; a part is reused only if the record matches the sweep and both files match their
checksums, otherwise all three files are deleted and the task redone — a flipped bit is never
merged. Merging reads each part once, checks those bytes and decodes the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from ecosystem.outputs import annotate_schema
from experiments.folder import OutputError
from experiments.manifest import write_json_atomic
from experiments.provenance import sha256_file

if TYPE_CHECKING:
    from experiments.sweep import Task


def part_paths(out: Path, task: Task) -> tuple[Path, Path]:
    """The task's runs part and timeseries part."""
    parts = out / "parts"
    return parts / f"runs-{task.task_id:06d}.parquet", parts / f"ts-{task.task_id:06d}.parquet"


def record_path(out: Path, task: Task) -> Path:
    """The part's record: its runs, provenance and the sha256 of both files."""
    return out / "parts" / f"task-{task.task_id:06d}.json"


def part_done(out: Path, task: Task, provenance: dict[str, str]) -> bool:
    """A task is done if its record matches this sweep and both files match their checksums.

    Anything else — no record, another config, preset or code version, other runs, a file
    changed by a single bit — deletes the task's files so that it is redone.
    """
    runs_path, ts_path = part_paths(out, task)
    record_file = record_path(out, task)
    try:
        record = json.loads(record_file.read_text())
        ok = (
            record.get("provenance") == provenance
            and record.get("run_ids") == [s.run_id for s in task.specs]
            and record.get("sha256", {}).get(runs_path.name) == sha256_file(runs_path)
            and record.get("sha256", {}).get(ts_path.name) == sha256_file(ts_path)
        )
    except (OSError, ValueError, AttributeError):
        ok = False
    if not ok:
        for path in (record_file, runs_path, ts_path):
            path.unlink(missing_ok=True)
    return ok


def write_parquet_atomic(table: pa.Table, path: Path) -> str:
    """Write a Parquet file via a temporary file; return its sha256."""
    tmp = path.with_suffix(f".tmp-{os.getpid()}")
    try:
        pq.write_table(table, tmp)
        digest = sha256_file(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_error(path, exc) from None
    return digest


def write_error(path: Path, exc: OSError) -> OutputError:
    """The one-line error of a failed write (disk full, read-only folder)."""
    return OutputError(
        f"cannot write '{path}': {exc.strerror or exc}; finished parts are kept — fix this "
        "and run the same command again"
    )


def store_part(out: Path, task: Task, runs, ts, provenance: dict[str, str]) -> None:
    """Write a task's two parts, then its record (the record makes the task count as done)."""
    runs_path, ts_path = part_paths(out, task)
    sums = {
        path.name: write_parquet_atomic(pa.Table.from_pandas(frame, preserve_index=False), path)
        for path, frame in ((ts_path, ts), (runs_path, runs))
    }
    record = {
        "task_id": task.task_id,
        "run_ids": [s.run_id for s in task.specs],
        "provenance": provenance,
        "sha256": sums,
    }
    try:
        write_json_atomic(record_path(out, task), record)
    except OSError as exc:
        raise write_error(record_path(out, task), exc) from None


def read_verified(out: Path, task: Task, path: Path) -> pa.Table:
    """A part's table, read from bytes that match the checksum in its record.

    Read on this thread (no Arrow thread pool, no pre-buffering): the bytes are a Python
    object, and an Arrow worker that drops the last reference to them must take the GIL. If
    that happens while the interpreter is finalizing, Python 3.12 ends the worker with
    ``pthread_exit``, whose unwinding through Arrow's C++ destructor aborts the process
    ("terminate called without an active exception", SIGABRT after all results are written,
    seen about once in 100 loaded runs). A part is small, so threads gain nothing here.
    """
    data = path.read_bytes()
    want = json.loads(record_path(out, task).read_text())["sha256"][path.name]
    if hashlib.sha256(data).hexdigest() != want:
        part_done(out, task, {})  # deletes the task's files
        raise OutputError(
            f"part '{path}' changed after it was checked; it was removed — run the same "
            "command again to redo it"
        )
    return pq.read_table(pa.BufferReader(data), use_threads=False, pre_buffer=False)


def merge_parts(out: Path, tasks: list[Task]) -> tuple[int, int]:
    """Stream the verified parts, in task order, into the final files; return (runs, rows)."""
    counts = []
    for kind, final in (("runs", "runs.parquet"), ("ts", "timeseries.parquet")):
        writer = None
        rows = 0
        tmp = out / f"{final}.tmp"
        try:
            for task in tasks:
                path = part_paths(out, task)[0 if kind == "runs" else 1]
                table = read_verified(out, task, path)
                if writer is None:
                    schema = annotate_schema(table.schema.remove_metadata(), final.split(".")[0])
                    writer = pq.ParquetWriter(tmp, schema)
                table = table.cast(writer.schema) if table.schema != writer.schema else table
                writer.write_table(table.replace_schema_metadata(None))
                rows += table.num_rows
            if writer is not None:
                writer.close()
                writer = None
            os.replace(tmp, out / final)
        except OSError as exc:
            raise write_error(out / final, exc) from None
        finally:
            if writer is not None:
                with suppress(OSError):
                    writer.close()
            tmp.unlink(missing_ok=True)
        counts.append(rows)
    return counts[0], counts[1]
