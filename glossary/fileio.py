"""File input and output that never leaves a half-written file, and transactions on the termbase directory.

One file: :func:`atomic_write_bytes` writes a temporary file beside the target, syncs it and renames it
over the target, so the file is either its old self or completely new.

Several term files: :func:`termbase_transaction` makes every command that writes ``terms/`` one
transaction. It takes an exclusive lock (``fcntl.flock`` on ``terms/.glossary.lock``; a second writer
waits, then fails with a clear message), finishes or undoes an interrupted transaction first, and lets
the command re-read the files under the lock. Writes made inside it (with :meth:`TermbaseTransaction.write`
or with :func:`atomic_write_bytes` on a file of that directory) are staged and committed together:

1. every new file is written to a temporary file beside its target and synced (a full disk fails here,
   naming the file, and nothing has changed);
2. the journal ``terms/.glossary-journal`` (targets, temporary files, old and new SHA-256) is written and
   synced, atomically: the commit point;
3. the temporary files are renamed over their targets, then the journal is removed.

A process killed at any point leaves either no journal (the termbase is the old one; stray temporary
files are removed at the next start) or a complete journal, which the next command that reads or
writes the termbase rolls forward. A file that changed since the journal was written is never
overwritten: recovery stops and says so.

A term file that is a symbolic link is written through to its target when that is a regular file
inside the termbase directory, and refused otherwise; the link itself is never replaced.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import secrets
import stat
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from glossary.errors import GlossaryError, TermFileError

LOCK_NAME = ".glossary.lock"
JOURNAL_NAME = ".glossary-journal"
_TEMP_MARK = ".glossary-tx-"
_JOURNAL_VERSION = 1
#: Seconds a writer waits for another one to finish (``$GLOSSARY_LOCK_TIMEOUT`` overrides it).
DEFAULT_LOCK_TIMEOUT = 60.0
#: Inputs larger than this are refused before they are read (``$GLOSSARY_MAX_INPUT_BYTES`` overrides it).
MAX_INPUT_BYTES = 256 * 1024 * 1024

_ACTIVE = threading.local()


def _termbase_error(message: str, path) -> GlossaryError:
    return TermFileError(message, path)


def _named(exc: OSError, path) -> OSError:
    """The same error, naming ``path`` (a write or fsync that fails for a full disk names no file)."""
    if exc.filename is not None:
        return exc
    return type(exc)(exc.errno, exc.strerror or str(exc), os.fspath(path))


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_new_file(path: Path, data: bytes, mode: int, shown) -> None:
    """Create ``path`` (which must not exist), write and sync ``data``; errors name ``shown``."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, mode)
    except OSError as exc:
        raise _named(exc, shown) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), mode)  # the umask does not decide a term file's mode
            os.fsync(fh.fileno())
    except OSError as exc:
        _unlink_quietly(path)
        raise _named(exc, shown) from exc
    except BaseException:
        _unlink_quietly(path)
        raise


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str | None:
    try:
        return _sha256(path.read_bytes())
    except FileNotFoundError:
        return None


# --- one file -----------------------------------------------------------------------------------------------


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    Inside :func:`termbase_transaction`, a file of that termbase is staged and written at commit instead.
    """
    transaction = active_transaction(path)
    if transaction is not None:
        transaction.write(path, data)
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _named(exc, path) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        _unlink_quietly(Path(tmp))
        raise _named(exc, path) from exc
    except BaseException:
        _unlink_quietly(Path(tmp))
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """UTF-8, LF line endings, atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def max_input_bytes() -> int:
    """The documented input size limit (``$GLOSSARY_MAX_INPUT_BYTES`` overrides :data:`MAX_INPUT_BYTES`)."""
    value = os.environ.get("GLOSSARY_MAX_INPUT_BYTES", "")
    return int(value) if value.isdigit() and int(value) > 0 else MAX_INPUT_BYTES


def read_input_bytes(path: str | os.PathLike, error: type[Exception], what: str = "cannot read",
                     limit: int | None = None) -> bytes:
    """The bytes of an input file; a file that cannot be opened raises ``error`` naming the path.

    Only regular files are read (a FIFO or a device would block or never end), and never more than
    ``limit`` bytes (default :func:`max_input_bytes`).
    """
    limit = max_input_bytes() if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise error(f"{what}: {exc.strerror}", os.fspath(path)) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise error(f"{what}: {kind}", os.fspath(path))
        if info.st_size > limit:
            raise error(f"{what}: {info.st_size} bytes is over the input limit of {limit} bytes", os.fspath(path))
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise error(f"{what}: over the input limit of {limit} bytes", os.fspath(path))
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"{what}: {exc.strerror}", os.fspath(path)) from exc
    finally:
        os.close(fd)


# --- the termbase transaction ---------------------------------------------------------------------------------


def active_transaction(path: str | os.PathLike) -> TermbaseTransaction | None:
    """The open transaction (of this thread) whose termbase directory holds ``path``, if any."""
    stack = getattr(_ACTIVE, "stack", None)
    if not stack:
        return None
    parent = Path(os.path.abspath(path)).parent
    for transaction in reversed(stack):
        if parent == transaction.directory_abs or parent.resolve() == transaction.root:
            return transaction
    return None


def lock_timeout() -> float:
    value = os.environ.get("GLOSSARY_LOCK_TIMEOUT", "")
    try:
        return max(0.0, float(value)) if value else DEFAULT_LOCK_TIMEOUT
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT


def _open_lock(root: Path) -> int:
    path = root / LOCK_NAME
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _termbase_error("the lock file is a symbolic link; remove it", path) from exc
        raise _termbase_error(f"cannot open the termbase lock file: {exc.strerror}", path) from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise _termbase_error("the lock file is not a regular file; remove it", path)
    return fd


def _acquire(root: Path, timeout: float) -> int:
    fd = _open_lock(root)
    deadline = time.monotonic() + timeout
    delay = 0.01
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                os.close(fd)
                raise _termbase_error(f"cannot lock the termbase: {exc.strerror}", root / LOCK_NAME) from exc
        if time.monotonic() >= deadline:
            os.close(fd)
            raise _termbase_error(f"another glossary command is writing this termbase (waited {timeout:g} s for "
                                  f"{LOCK_NAME}); try again when it has finished", root)
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


def _release(fd: int) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _journal_checksum(body: dict) -> str:
    return _sha256(json.dumps(body, sort_keys=True, ensure_ascii=True).encode())


def _inside(root: Path, relative: str) -> Path | None:
    """``root / relative`` when it stays inside ``root`` (a journal names files relative to it)."""
    if not relative or os.path.isabs(relative):
        return None
    candidate = Path(os.path.normpath(root / relative))
    return candidate if root in candidate.parents else None


def _stray_temps(root: Path) -> list[Path]:
    try:
        names = os.listdir(root)
    except OSError:
        return []
    return [root / n for n in names if _TEMP_MARK in n and n.endswith(".tmp")
            or n.startswith(JOURNAL_NAME + ".") and n.endswith(".tmp")]


def _recover(root: Path) -> list[str]:
    """Finish (roll forward) a committed transaction or remove what an uncommitted one left; under the lock.
    Returns the files that were rolled forward."""
    journal = root / JOURNAL_NAME
    finished: list[str] = []
    try:
        raw = journal.read_bytes()
    except FileNotFoundError:
        raw = None
    except OSError as exc:
        raise _termbase_error(f"cannot read the transaction journal: {exc.strerror}", journal) from exc
    if raw is not None:
        try:
            document = json.loads(raw.decode("utf-8"))
            body = {k: v for k, v in document.items() if k != "checksum"}
            valid = (document.get("checksum") == _journal_checksum(body)
                     and body.get("version") == _JOURNAL_VERSION and isinstance(body.get("files"), list))
        except (UnicodeDecodeError, ValueError, AttributeError):
            valid = False
        if not valid:
            raise _termbase_error("the transaction journal is damaged, so an interrupted write cannot be finished "
                                  "safely; compare the term files with version control, then delete the journal",
                                  journal)
        plan = []
        for entry in body["files"]:
            target = _inside(root, entry.get("target", "")) if isinstance(entry, dict) else None
            temp = _inside(root, entry.get("temp", "")) if target is not None else None
            if target is None or temp is None:
                raise _termbase_error("the transaction journal names a file outside the termbase; delete the "
                                      "journal after checking the term files", journal)
            current = _file_sha256(target)
            if current == entry.get("new"):
                continue
            if current != entry.get("old") or _file_sha256(temp) != entry.get("new"):
                raise _termbase_error(f"an interrupted write cannot be finished: {target.name} changed since it "
                                      "started; compare it with version control, then delete the journal", journal)
            plan.append((temp, target))
        for temp, target in plan:
            os.replace(temp, target)
            finished.append(os.fspath(target))
        for directory in {target.parent for _, target in plan} | {root}:
            _fsync_dir(directory)
        os.unlink(journal)
        _fsync_dir(root)
    for stray in _stray_temps(root):
        _unlink_quietly(stray)
    return finished


def recover_termbase(directory: str | os.PathLike) -> list[str]:
    """Finish an interrupted transaction on ``directory`` if its journal is there, and remove the temporary
    files of one that never reached its journal when no writer is at work; a cheap check otherwise.

    Every reader of a termbase directory calls this, so an interrupted write is never read half-done.
    """
    root = Path(directory).resolve()
    if any(t.root == root for t in getattr(_ACTIVE, "stack", ())):
        return []  # this thread holds the lock and has recovered already
    if (root / JOURNAL_NAME).exists() or os.path.islink(root / JOURNAL_NAME):
        fd = _acquire(root, lock_timeout())
    elif _stray_temps(root):
        try:  # only when no writer holds the lock: its temporary files are not stray
            fd = _open_lock(root)
        except GlossaryError:
            return []  # a read-only termbase: readers ignore the temporary files anyway
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return []
    else:
        return []
    try:
        return _recover(root)
    finally:
        _release(fd)


class TermbaseTransaction:
    """Staged writes to one termbase directory, committed all together (see the module docstring)."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self.directory_abs = Path(os.path.abspath(directory))
        self.root = self.directory.resolve()
        self.recovered: list[str] = []
        self.written: list[str] = []
        self._staged: dict[Path, tuple[str, bytes]] = {}

    def target(self, path: str | os.PathLike) -> Path:
        """The real file a write to ``path`` goes to: itself, or the target of a symbolic link inside the
        termbase; anything else is refused."""
        shown = os.fspath(path)
        candidate = Path(os.path.abspath(path))
        if candidate.parent.resolve() != self.root:
            raise _termbase_error("is outside the termbase directory; refusing to write it", shown)
        if candidate.is_symlink():
            real = candidate.resolve()
            if self.root not in real.parents:
                raise _termbase_error(f"is a symbolic link to {real}, outside the termbase directory; refusing to "
                                      "write through it (replace the link with the file, or edit the target)", shown)
            if not real.is_file():
                raise _termbase_error("is a symbolic link that does not point to a regular file; refusing to "
                                      "write through it", shown)
            return real
        real = candidate.parent.resolve() / candidate.name
        if real.exists() and not real.is_file():
            raise _termbase_error("is not a regular file; refusing to replace it", shown)
        return real

    def read(self, path: str | os.PathLike) -> bytes | None:
        """The file's bytes as this transaction will leave them (``None`` when it does not exist)."""
        real = self.target(path)
        if real in self._staged:
            return self._staged[real][1]
        try:
            return real.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise _termbase_error(f"cannot read term file: {exc.strerror}", path) from exc

    def write(self, path: str | os.PathLike, data: bytes) -> None:
        """Stage ``data`` for ``path``; nothing is written before :meth:`commit`."""
        self._staged[self.target(path)] = (os.fspath(path), bytes(data))

    @property
    def staged(self) -> list[str]:
        return [shown for shown, _ in self._staged.values()]

    def commit(self) -> list[str]:
        """Write every staged file as one transaction; returns the files that changed."""
        txid = f"{os.getpid()}-{secrets.token_hex(4)}"
        entries, temps = [], []
        journal = self.root / JOURNAL_NAME
        journal_temp = self.root / f"{JOURNAL_NAME}.{txid}.tmp"
        try:
            for real, (shown, data) in self._staged.items():
                old = _file_sha256(real)
                new = _sha256(data)
                if old == new:
                    continue
                mode = real.stat().st_mode & 0o777 if old is not None else 0o644
                temp = real.parent / f".{real.name}{_TEMP_MARK}{txid}.tmp"
                _write_new_file(temp, data, mode, shown)
                temps.append(temp)
                entries.append({"target": os.path.relpath(real, self.root), "temp": os.path.relpath(temp, self.root),
                                "old": old, "new": new, "shown": shown})
            if not entries:
                return []
            body = {"version": _JOURNAL_VERSION, "txid": txid, "files": entries}
            document = {**body, "checksum": _journal_checksum(body)}
            _write_new_file(journal_temp, json.dumps(document, indent=1).encode() + b"\n", 0o644, journal)
            os.replace(journal_temp, journal)
            _fsync_dir(self.root)
        except BaseException:
            for temp in [*temps, journal_temp]:
                _unlink_quietly(temp)
            raise
        for temp, entry in zip(temps, entries):  # after the commit point: recovery finishes whatever this does not
            os.replace(temp, self.root / entry["target"])
        for directory in {temp.parent for temp in temps} | {self.root}:
            _fsync_dir(directory)
        os.unlink(journal)
        _fsync_dir(self.root)
        self.written = [entry["shown"] for entry in entries]
        return self.written


@contextmanager
def termbase_transaction(directory: str | os.PathLike, timeout: float | None = None):
    """Lock ``directory``, recover it, yield a :class:`TermbaseTransaction`, commit it on a clean exit.

    Read what you change inside the block (the lock makes those reads current); an exception inside it
    writes nothing. Transactions on the same directory do not nest.
    """
    transaction = TermbaseTransaction(directory)
    if not transaction.root.is_dir():
        raise _termbase_error("termbase directory not found (use --terms DIR)", directory)
    stack = getattr(_ACTIVE, "stack", None)
    if stack is None:
        stack = _ACTIVE.stack = []
    if any(t.root == transaction.root for t in stack):
        raise RuntimeError("a transaction on this termbase is already open")
    fd = _acquire(transaction.root, lock_timeout() if timeout is None else timeout)
    try:
        transaction.recovered = _recover(transaction.root)
        stack.append(transaction)
        try:
            yield transaction
        finally:
            stack.remove(transaction)
        transaction.commit()
    finally:
        _release(fd)


def write_term_files(directory: str | os.PathLike, files: dict[str | os.PathLike, bytes],
                     expected: dict[str | os.PathLike, bytes | None] | None = None) -> list[str]:
    """Write several term files of ``directory`` as one transaction.

    ``expected`` gives the bytes each file had when the change was planned (``None``: absent); if one
    differs under the lock, nothing is written and the error says to run again.
    """
    with termbase_transaction(directory) as transaction:
        for path, old in (expected or {}).items():
            if transaction.read(path) != old:
                raise _termbase_error("changed on disk while the change was being prepared; run the command again",
                                      path)
        for path, data in files.items():
            transaction.write(path, data)
    return transaction.written
