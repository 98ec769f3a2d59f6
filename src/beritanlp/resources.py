"""Access to the plain-text language resources: the data files under ``beritanlp/data``, a
user's own files, and the copies a saved pipeline carries.

**Naming a data file.** A component setting that names a data file (``"sections.json"``,
``"gazetteer/countries.tsv"``) takes either

* a *bundled* name: a path relative to ``beritanlp/data`` (the files shipped with the library);
* or a *file path* of your own: absolute (``/srv/names.tsv``, ``C:\\names.tsv``), starting with
  ``~`` (the home folder) or with ``./`` or ``../`` (relative to the working directory).

A name that is neither is a bundled name (a missing one raises
:class:`~beritanlp.errors.ResourceError` that says how to name a file of your own).

Bundled files are read lazily, on first use, and cached for the life of the process (they are
small and immutable); a file of your own is read again when it changes (its size or modification
time). Every bundled file starts with ``#`` comment lines saying where its content comes from;
comment lines and blank lines are skipped by the line and TSV readers here.

**Saved pipelines.** A component that reads data files keeps their text (:class:`DataFile`), and
its ``to_disk`` writes them into its folder of the saved pipeline with :func:`save_component`
(``settings.json`` plus one file per data file); its ``from_disk`` reads them back with
:func:`load_component`, so ``spacy.load`` of the folder gives the same component on a machine
without the original files. Only JSON and text are read: no code runs.
:class:`DataFileUser` reads the files a class's settings name on first use;
:class:`beritanlp.components.base.DataFileComponent` gives a component these methods.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePath
from typing import Any, ClassVar

from .errors import ResourceError

__all__ = [
    "SETTINGS_FILE",
    "DataFile",
    "DataFileUser",
    "DataFiles",
    "clear_caches",
    "describe",
    "is_file_path",
    "load_component",
    "parse_json",
    "parse_lines",
    "parse_tsv",
    "read_data_file",
    "read_data_files",
    "read_json",
    "read_lines",
    "read_text",
    "read_tsv",
    "save_component",
    "saved_names",
    "word_set",
]

_PACKAGE = "beritanlp.data"

#: The file of a saved component's folder that holds its settings (JSON).
SETTINGS_FILE = "settings.json"

_PATH_STARTS = ("~", "./", "../", ".\\", "..\\")


def is_file_path(name: str) -> bool:
    """Whether ``name`` is a file path of the user's own rather than a bundled data file name:
    absolute, or starting with ``~``, ``./`` or ``../``."""
    return name.startswith(_PATH_STARTS) or Path(name).is_absolute()


def describe(name: str) -> str:
    """Where ``name`` is read from, for messages: ``beritanlp/data/<name>`` or the path."""
    return str(Path(name).expanduser()) if is_file_path(name) else f"beritanlp/data/{name}"


@lru_cache(maxsize=64)
def _bundled_text(name: str) -> str:
    try:
        return resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise ResourceError(
            f"the data file beritanlp/data/{name} is missing. If it is one of beritanlp's own "
            f"files, the installation is incomplete. Reinstall with `pip install "
            f"--force-reinstall beritanlp`. A file of your own is named by its path: absolute, "
            f"or starting with ./ or ~."
        ) from exc
    except UnicodeDecodeError as exc:
        raise ResourceError(
            f"the data file beritanlp/data/{name} is damaged (not UTF-8: {exc.reason} at byte "
            f"{exc.start}). Reinstall with `pip install --force-reinstall beritanlp`."
        ) from exc


@lru_cache(maxsize=64)
def _file_text(path: str, mtime_ns: int, size: int) -> str:
    """The text of a file of the user's own; the key holds its size and modification time, so
    an edited file is read again."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ResourceError(
            f"the data file {path} is not UTF-8 ({exc.reason} at byte {exc.start}); save it as "
            f"UTF-8."
        ) from exc
    except OSError as exc:
        raise ResourceError(f"the data file {path} cannot be read ({exc.strerror}).") from exc


def read_text(name: str) -> str:
    """The text of the data file ``name``: a bundled name or a file path (see the module
    docstring)."""
    if not is_file_path(name):
        return _bundled_text(name)
    path = Path(name).expanduser().absolute()  # the cache key: the same file from any folder
    try:
        stat = path.stat()
    except OSError as exc:
        raise ResourceError(
            f"the data file {path} does not exist or cannot be read ({exc.strerror}); check the "
            f"path in the component's settings."
        ) from exc
    if not path.is_file():
        raise ResourceError(f"the data file {path} is not a file; check the component's settings.")
    return _file_text(str(path), stat.st_mtime_ns, stat.st_size)


# -- parsing text (cached by content: equal texts are parsed once) --------------------------------
def _content_lines(text: str) -> list[str]:
    return [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]


@lru_cache(maxsize=64)
def parse_lines(text: str) -> tuple[str, ...]:
    """The non-blank, non-comment lines of a text, stripped."""
    return tuple(line.strip() for line in _content_lines(text))


@lru_cache(maxsize=64)
def parse_tsv(text: str, where: str = "", columns: int = 0) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated text; with ``columns``, every row must have that many fields
    (``where`` names the file in the error)."""
    rows = []
    for number, line in enumerate(_content_lines(text), 1):
        fields = tuple(field.strip() for field in line.rstrip("\n").split("\t"))
        if columns and len(fields) != columns:
            raise ResourceError(
                f"{where or 'a data file'}, data row {number}: expected {columns} tab-separated "
                f"fields, found {len(fields)}: {line!r}. Fix the file (tabs, not spaces)."
            )
        rows.append(fields)
    return tuple(rows)


@lru_cache(maxsize=32)
def parse_json(text: str, where: str = "") -> Any:
    """A JSON text (plain JSON; the provenance lives in a ``_source`` key). The result is shared
    between callers: do not change it."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResourceError(f"{where or 'a data file'} is not valid JSON: {exc}") from exc


# -- reading by name ---------------------------------------------------------------------------
def read_lines(name: str) -> tuple[str, ...]:
    """The non-blank, non-comment lines of a data file, stripped."""
    return parse_lines(read_text(name))


def read_tsv(name: str, columns: int = 0) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated data file; with ``columns``, every row must have that many fields."""
    return parse_tsv(read_text(name), describe(name), columns)


def read_json(name: str) -> Any:
    """A JSON data file (``//``-free, plain JSON; the provenance lives in a ``_source`` key)."""
    return parse_json(read_text(name), describe(name))


@lru_cache(maxsize=32)
def _word_set(text: str, lower: bool) -> frozenset[str]:
    words = parse_lines(text)
    return frozenset(w.lower() for w in words) if lower else frozenset(words)


def word_set(name: str, lower: bool = True) -> frozenset[str]:
    """The lines of a one-word-per-line file as a frozenset (lower-cased by default)."""
    return _word_set(read_text(name), lower)


def clear_caches() -> None:
    """Forget every file read and parsed so far (for tests that swap the data files)."""
    for cached in (_bundled_text, _file_text, parse_lines, parse_tsv, parse_json, _word_set):
        cached.cache_clear()


# -- the data files of a component, and saving them with a pipeline ------------------------------
@dataclass(frozen=True, slots=True)
class DataFile:
    """A data file: its name as a component's settings give it (bundled name or path), its text,
    and where the text was read from (for messages: a saved pipeline's copy, say)."""

    name: str
    text: str
    where: str


#: A component's data files: setting name → the files it names, in order ('' names none).
DataFiles = dict[str, tuple[DataFile, ...]]


def read_data_file(name: str) -> DataFile:
    """The data file ``name`` (bundled name or path), read now."""
    return DataFile(name, read_text(name), describe(name))


def read_data_files(names: Mapping[str, str | Sequence[str]]) -> DataFiles:
    """The data files named by a component's settings (``{"rules": "sections.json"}``, a tuple
    for a setting holding several files), read now; an empty name stands for no file."""
    return {
        setting: tuple(read_data_file(n) for n in _as_names(value) if n)
        for setting, value in names.items()
    }


def _as_names(value: str | Sequence[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def saved_names(setting: str, value: str | Sequence[str]) -> list[str]:
    """The file names, in a saved component's folder, of the data files a setting names: a
    setting holding one file name is saved as ``<setting><suffix>`` (``rules.json``), one holding
    several as ``<setting>/<nn>-<file name>`` (``files/00-organisations.tsv``)."""
    if isinstance(value, str):
        return [f"{setting}{PurePath(value).suffix}"] if value else []
    return [f"{setting}/{i:02d}-{PurePath(v).name}" for i, v in enumerate(value) if v]


def save_component(
    folder: str | os.PathLike[str],
    settings: Mapping[str, Any],
    files: Mapping[str, tuple[DataFile, ...]],
    exclude: Iterable[str] = (),
) -> None:
    """Write a component's folder of a saved pipeline: ``settings.json`` (``settings``: the
    JSON-ready settings) and the texts of its data files (``files``, by setting), named by
    :func:`saved_names`. ``exclude`` may hold ``"settings"`` and ``"data"``."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    skip = set(exclude)
    if "settings" not in skip:
        text = json.dumps(dict(settings), ensure_ascii=False, indent=2)
        (path / SETTINGS_FILE).write_text(text + "\n", encoding="utf-8")
    if "data" in skip:
        return
    for setting, datafiles in files.items():
        value = settings[setting]
        for rel, datafile in zip(saved_names(setting, value), datafiles, strict=True):
            target = path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(datafile.text, encoding="utf-8")


def load_component(
    folder: str | os.PathLike[str],
    settings: Mapping[str, Any],
    data_settings: Iterable[str],
    exclude: Iterable[str] = (),
) -> tuple[dict[str, Any], DataFiles | None]:
    """Read a component's folder written by :func:`save_component`: its settings (``settings``,
    the component's current JSON-ready settings, where there is no ``settings.json`` or it is
    excluded) and the data files of the settings named in ``data_settings`` that the saved
    settings hold (``None`` when ``"data"`` is excluded). A missing or damaged file raises
    :class:`~beritanlp.errors.ResourceError` naming it."""
    path = Path(folder)
    skip = set(exclude)
    saved = dict(settings)
    settings_file = path / SETTINGS_FILE
    if "settings" not in skip and settings_file.exists():
        data = parse_json(read_text(str(settings_file.resolve())), str(settings_file))
        if not isinstance(data, dict):
            raise ResourceError(f"{settings_file} is not a JSON object of settings.")
        saved = dict(data)
    if "data" in skip:
        return saved, None
    files: DataFiles = {}
    for setting in data_settings:
        if setting not in saved:  # saved before the setting existed: its file is read by name
            continue
        value = saved[setting]
        if not isinstance(value, (str, list, tuple)):
            raise ResourceError(f"{settings_file}: {setting} must name data files, got {value!r}.")
        names = [n for n in _as_names(value) if n]
        rels = saved_names(setting, value)
        files[setting] = tuple(
            _saved_file(path, name, rel) for name, rel in zip(names, rels, strict=True)
        )
    return saved, files


def _saved_file(folder: Path, name: str, rel: str) -> DataFile:
    file = folder / rel
    if not file.is_file():
        raise ResourceError(
            f"the saved pipeline is incomplete: {file} is missing (the copy of {name}). Save the "
            f"pipeline again with nlp.to_disk()."
        )
    return DataFile(name, read_text(str(file.resolve())), str(file))


class DataFileUser:
    """Base of a class whose settings name data files (a component, or the rules it applies to
    plain text): :attr:`data_files` reads them on first use.

    ``DataFileUser(settings=None, *, data=None, **overrides)``: ``settings`` (default: the
    defaults of :attr:`SETTINGS`) with ``overrides`` applied; ``data`` the texts of data files
    (by setting) where they do not come from the files the settings name (a saved pipeline's
    copies). A setting missing from ``data`` is read from the file its name gives. What a
    subclass derives from the files is best a :func:`functools.cached_property`."""

    #: The settings dataclass (``components.base.Settings``: ``build(settings, overrides)``).
    SETTINGS: ClassVar[Any]
    #: The settings that name data files (a file name, ``""`` for none, or a tuple of names).
    DATA_SETTINGS: ClassVar[tuple[str, ...]] = ()
    settings: Any
    _data_files: DataFiles | None = None

    def __init__(
        self, settings: Any = None, *, data: DataFiles | None = None, **overrides: Any
    ) -> None:
        self.settings = self.SETTINGS.build(settings, overrides)
        self._data_files = data

    @property
    def data_files(self) -> DataFiles:
        """The data files the settings name, by setting (read on first use)."""
        files = self._data_files
        if files is None or any(key not in files for key in self.DATA_SETTINGS):
            given = files or {}
            names = {k: getattr(self.settings, k) for k in self.DATA_SETTINGS if k not in given}
            files = self._data_files = {**given, **read_data_files(names)}
        return files
