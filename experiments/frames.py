"""Reading a results table (Parquet) into pandas with Arrow's own file reader.

``pd.read_parquet(path)`` opens a local path as a Python file object, so the bytes Arrow's
reader threads pre-buffer are Python-owned, and the worker that drops the last of them must take
the GIL. If that happens while the interpreter is finalizing, Python 3.12 ends the worker with
``pthread_exit``, whose unwinding through Arrow's C++ destructor calls ``std::terminate``: the
process aborts with SIGABRT after all its results are written ("terminate called without an
active exception"; core dump: ``PyBuffer::~PyBuffer`` → ``PyGILState_Ensure`` →
``PyThread_exit_thread`` on an Arrow pool thread, from a ``ReadRangeCache``). Giving pandas
Arrow's local filesystem makes Arrow open the file itself, so its buffers never need the GIL.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pyarrow.fs import LocalFileSystem


def read_frame(path: str | Path) -> pd.DataFrame:
    """The Parquet file at ``path`` as a DataFrame, as ``pd.read_parquet`` gives it."""
    return pd.read_parquet(Path(path).resolve(), filesystem=LocalFileSystem())
