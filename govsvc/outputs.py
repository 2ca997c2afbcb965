"""Writing a CLI's output files whole or not at all (bad input must never leave a file behind)."""
from __future__ import annotations

import os
import tempfile
from typing import Sequence


def os_error(exc: OSError) -> str:
    return exc.strerror or str(exc)


def write_all(outputs: Sequence[tuple[str, bytes]], error: type[Exception] = ValueError) -> None:
    """Write every (path, content) or none: each goes to a temporary file beside its target first,
    and the targets are replaced only when all temporary files were written. Failures raise
    `error` with one clear line (Chinese)."""
    for path, _ in outputs:
        if os.path.isdir(path):
            raise error(f"无法写入 {path}：这是一个文件夹")
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise error(f"无法写入 {path}：输出文件夹不存在（{folder}）")
    staged: list[tuple[str, str]] = []
    current = ""
    try:
        for path, content in outputs:
            current = path
            fd, tmp = tempfile.mkstemp(prefix=".govsvc-", suffix=".tmp", dir=os.path.dirname(os.path.abspath(path)))
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
        for tmp, path in staged:
            current = path
            os.replace(tmp, path)
    except OSError as exc:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise error(f"无法写入 {current}：{os_error(exc)}") from None
