"""Settings declared once: a frozen dataclass per component, from which the factory's
``default_config``, its signature (what spaCy validates ``config`` against) and the
component's constructor are derived.

A component module declares::

    @dataclass(frozen=True, slots=True)
    class KeywordsSettings(Settings):
        top_k: int = 10
        stopwords: tuple[str, ...] = DEFAULT_STOPWORDS

        def check(self) -> None:          # optional: value checks beyond the types
            if self.top_k < 1:
                raise ConfigError("top_k must be positive")

    class Keywords:
        def __init__(self, nlp, name, settings=None, **overrides):
            self.settings = KeywordsSettings.build(settings, overrides)

    make_keywords = register_factory("beritanlp_keywords", KeywordsSettings, Keywords,
                                     assigns=[...], requires=[...])

Sequences are tuples in the dataclass (frozen, hashable) and lists in the config (JSON); a list
given by a caller becomes a tuple, a mapping stays a plain ``dict``. The settings of a built
component are ``component.settings``; :func:`settings_to_json` gives them as JSON-ready data (what
``to_disk`` writes).

:meth:`Settings.require_bool`, :meth:`~Settings.require_int`, :meth:`~Settings.require_file` and
:meth:`~Settings.require_strings` are the value checks the settings classes share (a ``check()``
calls them). :class:`DataFileComponent` is the base of the components whose settings name data
files (and models): the constructor above, ``initialize``, ``to_disk`` and ``from_disk``.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import json
import os
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from .. import extensions
from ..errors import ConfigError
from ..resources import DataFiles, DataFileUser, load_component, save_component

__all__ = [
    "DataFileComponent",
    "Settings",
    "default_config",
    "register_factory",
    "settings_to_json",
    "text_rules",
]

S = TypeVar("S", bound="Settings")


def _thaw(value: Any) -> Any:
    """A setting value as JSON-ready data (tuples → lists, recursively)."""
    if isinstance(value, (tuple, list)):
        return [_thaw(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    return value


def _freeze(value: Any) -> Any:
    """A list given by a caller as the tuple the dataclass holds (recursively)."""
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


@dataclasses.dataclass(frozen=True, slots=True)
class Settings:
    """Base of the component settings dataclasses (no fields of its own)."""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            frozen = _freeze(value)
            if frozen is not value:
                object.__setattr__(self, f.name, frozen)
        self.check()

    def check(self) -> None:
        """Value checks beyond the types; raise :class:`~beritanlp.errors.ConfigError`."""

    @classmethod
    def build(cls: type[S], settings: S | None = None, overrides: Mapping[str, Any] = ()) -> S:  # type: ignore[assignment]
        """``settings`` (default: the defaults) with ``overrides`` applied; unknown names raise
        :class:`~beritanlp.errors.ConfigError` listing the known ones."""
        overrides = dict(overrides)
        known = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(overrides) - set(known))
        if unknown:
            raise ConfigError(
                f"unknown setting(s) {unknown} for {cls.__name__}; the settings are {known}"
            )
        base = cls() if settings is None else settings
        return dataclasses.replace(base, **overrides) if overrides else base

    # -- the value checks the settings classes share (raise ConfigError naming the setting) ------
    def require_bool(self, *names: str) -> None:
        """Each of the settings ``names`` is ``True`` or ``False``."""
        for name in names:
            value = getattr(self, name)
            if not isinstance(value, bool):
                raise self._bad(name, "must be true or false", value)

    def require_int(self, *names: str, least: int = 0, note: str = "") -> None:
        """Each of the settings ``names`` is a whole number (not a bool) ``>= least``; ``note``
        is added to the message (what the setting does)."""
        for name in names:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise self._bad(name, f"must be a whole number >= {least}{note}", value)

    def require_file(self, *names: str, optional: bool = False) -> None:
        """Each of the settings ``names`` names data files: a bundled name or a path of one's own
        (see :mod:`beritanlp.resources`), or a tuple of such names; with ``optional``, a single
        name may be ``""`` (no file)."""
        for name in names:
            value = getattr(self, name)
            if isinstance(value, tuple):
                ok = all(isinstance(v, str) and v for v in value)
                what = "data files"
            else:
                ok = isinstance(value, str) and (bool(value) or optional)
                what = "a data file" + (" ('' for none)" if optional else "")
            if not ok:
                where = "a file under beritanlp/data or a path of your own"
                raise self._bad(name, f"must name {what} ({where})", value)

    def require_strings(self, *names: str, non_empty: bool = False) -> None:
        """Each of the settings ``names`` is a list of strings (with ``non_empty``, one at
        least)."""
        for name in names:
            value = getattr(self, name)
            if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
                raise self._bad(name, "must be a list of strings", value)
            if non_empty and not value:
                raise self._bad(name, "needs at least one entry", value)

    def _bad(self, name: str, what: str, value: Any) -> ConfigError:
        """The error of a bad value, with the default as an example (when it is short)."""
        example = json.dumps(_thaw(_default(type(self), name)), ensure_ascii=False)
        hint = f" (e.g. config={{{json.dumps(name)}: {example}}})" if len(example) <= 40 else ""
        return ConfigError(f"{_owner(type(self))}: {name} {what}, got {value!r}{hint}")


def _default(cls: type[Settings], name: str) -> Any:
    field = next(f for f in dataclasses.fields(cls) if f.name == name)
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return field.default


def _owner(cls: type[Settings]) -> str:
    """The component a settings class is of, for messages: ``EntityRepairSettings`` →
    ``entity_repair``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__.removesuffix("Settings")).lower()


def settings_to_json(settings: Settings) -> dict[str, Any]:
    """The settings as JSON-ready data, in declaration order."""
    return {f.name: _thaw(getattr(settings, f.name)) for f in dataclasses.fields(settings)}


def default_config(cls: type[Settings]) -> dict[str, Any]:
    """The factory's ``default_config``: every setting with its default."""
    return settings_to_json(cls())


def _config_type(hint: Any) -> Any:
    """The type spaCy validates a config value against: ``tuple[X, ...]`` → ``list[X]`` (a
    config holds lists), recursively; other hints unchanged."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is tuple:
        inner = args[0] if args else Any
        return list[_config_type(inner)]  # type: ignore[misc]
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_config_type(a) for a in args)]  # noqa: UP007
    if origin in (dict, Mapping):
        key, val = args or (Any, Any)
        return dict[_config_type(key), _config_type(val)]  # type: ignore[misc]
    return hint


def register_factory(
    factory_name: str,
    settings_cls: type[S],
    component_cls: Callable[..., Any],
    *,
    assigns: Iterable[str] = (),
    requires: Iterable[str] = (),
    retokenizes: bool = False,
) -> Callable[..., Any]:
    """Register ``factory_name`` with spaCy: its ``default_config`` and validated signature come
    from ``settings_cls``; it builds ``component_cls(nlp, name, settings_cls(**config))``."""
    from spacy.language import Language

    hints = typing.get_type_hints(settings_cls)
    names = [f.name for f in dataclasses.fields(settings_cls)]

    # spaCy validates the config against the signature below but passes the values on as given
    # ("5" for an int); the same types coerce them, so the settings hold what they declare
    from pydantic import TypeAdapter

    adapters = {n: TypeAdapter(_config_type(hints[n])) for n in names}

    def make(nlp: Language, name: str, **config: Any) -> Any:
        values = {
            k: adapters[k].validate_python(v) if k in adapters else v for k, v in config.items()
        }
        return component_cls(nlp, name, settings_cls(**values))

    params = [
        inspect.Parameter("nlp", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Language),
        inspect.Parameter("name", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str),
    ]
    params += [
        inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=_config_type(hints[n]))
        for n in names
    ]
    make.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    make.__annotations__ = {p.name: p.annotation for p in params}
    short = factory_name.removeprefix("beritanlp_")
    make.__name__ = make.__qualname__ = f"make_{short}"
    make.__module__ = getattr(component_cls, "__module__", __name__)
    make.__doc__ = (
        f"Factory of the ``{factory_name}`` component (settings: :class:`{settings_cls.__name__}`)."
    )
    Language.factory(
        factory_name,
        default_config=default_config(settings_cls),
        assigns=list(assigns),
        requires=list(requires),
        retokenizes=retokenizes,
    )(make)
    return make


# -- the components whose settings name data files ------------------------------------------------
class DataFileComponent(DataFileUser):
    """Base of a spaCy component declared with a settings dataclass (:attr:`SETTINGS`) whose
    settings name data files (:attr:`DATA_SETTINGS`) and which may carry other parts (a model).

    ``Component(nlp=None, name=None, settings=None, **overrides)`` (the signature
    :func:`register_factory` calls; ``name`` defaults to :attr:`NAME`). The data files are read
    on first use (:attr:`data_files`); ``initialize`` reads them again; ``to_disk(path, *,
    exclude=())`` writes ``settings.json``, a copy of every data file and the other parts;
    ``from_disk`` reads them back, so ``spacy.load`` of the folder needs none of the original
    files (see :mod:`beritanlp.resources`).

    A subclass derives what it needs from the files in :func:`functools.cached_property`
    attributes (forgotten when the settings or files change), builds per-settings state in
    :meth:`_install`, derives everything in :meth:`_prepare` (so a bad file fails at load, not
    at the first document) and reads and writes its other parts in :meth:`_load_parts` and
    :meth:`_save_parts`."""

    SETTINGS: ClassVar[type[Settings]]
    #: The name of a component built without one.
    NAME: ClassVar[str] = ""
    #: The names of the class's :func:`functools.cached_property` attributes.
    _CACHED: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._CACHED = tuple(
            name
            for name in dir(cls)
            if isinstance(inspect.getattr_static(cls, name, None), functools.cached_property)
        )

    def __init__(
        self,
        nlp: Any = None,
        name: str | None = None,
        settings: Settings | None = None,
        **overrides: Any,
    ) -> None:
        extensions.register()
        self.name = self.NAME if name is None else name
        self._install(self.SETTINGS.build(settings, overrides), None)
        self._load_parts(None, frozenset())

    def _install(self, settings: Any, data: DataFiles | None) -> None:
        """Take ``settings`` and, from a saved folder, the data files (``None``: the files the
        settings name, read on first use); forget what was derived from earlier ones."""
        self.settings = settings
        self._data_files = data
        for key in self._CACHED:
            self.__dict__.pop(key, None)

    def _load_parts(self, folder: Path | None, exclude: frozenset[str]) -> None:
        """Read the parts besides the data files (a model): those the settings name (``folder``
        ``None``) or those saved in ``folder`` (a part named in ``exclude`` is kept)."""

    def _save_parts(self, folder: Path, exclude: frozenset[str]) -> None:
        """Write the parts besides the data files into ``folder`` (not those in ``exclude``)."""

    def _prepare(self) -> None:
        """Read the data files now (a subclass also derives what it needs from them)."""
        self.data_files  # noqa: B018

    def initialize(self, get_examples: Any = None, *, nlp: Any = None) -> None:
        """Read the data files and parts the settings name (again) and prepare them now."""
        self._install(self.settings, None)
        self._load_parts(None, frozenset())
        self._prepare()

    def to_disk(self, path: str | os.PathLike[str], *, exclude: Iterable[str] = ()) -> None:
        """Write ``settings.json``, the data files and the other parts into the folder ``path``;
        ``exclude`` may hold ``"settings"``, ``"data"`` and the name of a part."""
        save_component(path, settings_to_json(self.settings), self.data_files, exclude)
        self._save_parts(Path(path), frozenset(exclude))

    def from_disk(self, path: str | os.PathLike[str], *, exclude: Iterable[str] = ()) -> Any:
        """Read the settings, the data files and the parts written by :meth:`to_disk`."""
        skip = frozenset(exclude)
        current = settings_to_json(self.settings)
        saved, data = load_component(path, current, self.DATA_SETTINGS, skip)
        self._install(self.SETTINGS.build(None, saved), data)
        self._load_parts(Path(path), skip)
        self._prepare()
        return self


U = TypeVar("U", bound=DataFileUser)


def text_rules(cls: type[U]) -> functools.cached_property[U]:
    """A component attribute (``finder = text_rules(SectionFinder)``): the rules ``cls`` applies
    to plain text (a :class:`~beritanlp.resources.DataFileUser` of the same settings), built on
    first use from the component's settings and data files and forgotten with them."""

    def build(self: DataFileComponent) -> U:
        return cls(self.settings, data=self.data_files)

    build.__doc__ = f"The :class:`{cls.__name__}` of this component's settings and data files."
    return functools.cached_property(build)


# -- the settings tables of docs/components.md ---------------------------------------------------
DOCS_BEGIN = (
    "<!-- BEGIN settings of {name}: generated by `python -m beritanlp.components.base --write` -->"
)
DOCS_END = "<!-- END settings -->"


def setting_docs(cls: type[Settings]) -> dict[str, str]:
    """The meaning of each setting: the ``#:`` / ``#`` comment lines right above its
    declaration in the class body (the one place a setting is described)."""
    import ast
    import textwrap

    source = textwrap.dedent(inspect.getsource(cls))
    lines = source.splitlines()
    docs: dict[str, str] = {}
    for node in ast.parse(source).body[0].body:  # type: ignore[attr-defined]
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            comment: list[str] = []
            row = node.lineno - 2
            while row >= 0 and lines[row].strip().startswith("#"):
                comment.insert(0, lines[row].strip().lstrip("#:").strip())
                row -= 1
            docs[node.target.id] = " ".join(comment)
    return docs


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    if len(text) <= 60:
        return f"`{text}`"
    if isinstance(value, list):
        head = json.dumps(value[:3], ensure_ascii=False)[:-1]
        return f"`{head}, …]` ({len(value)} items)"
    if isinstance(value, dict):
        return f"a mapping of {len(value)} entries (see the code)"
    return f"`{text[:57]}…`"


def settings_table(cls: type[Settings]) -> str:
    """The Markdown table of ``cls``'s settings: name, default, meaning."""
    docs = setting_docs(cls)
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    for name, value in settings_to_json(cls()).items():
        meaning = docs.get(name, "").replace("``", "`").replace("|", "\\|")
        rows.append(f"| `{name}` | {_shown(value)} | {meaning} |")
    return "\n".join(rows) + "\n"


def _settings_classes() -> dict[str, type[Settings]]:
    """Component name → its settings class, for the default pipeline and the syntax layer."""
    from importlib import import_module

    from . import COMPONENT_MODULES, PIPELINE

    out: dict[str, type[Settings]] = {}
    for name, module_name in [(n, COMPONENT_MODULES[f]) for n, f in PIPELINE] + [
        ("syntax", "syntax")
    ]:
        module = import_module(f"{__package__}.{module_name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Settings)
                and value is not Settings
                and value.__module__ == module.__name__
            ):
                out[name] = value
    return out


def write_docs(text: str) -> str:
    """``docs/components.md`` text with every generated settings table rewritten."""
    for name, cls in _settings_classes().items():
        begin = DOCS_BEGIN.format(name=name)
        if begin not in text:
            continue
        start = text.index(begin) + len(begin)
        end = text.index(DOCS_END, start)
        text = text[:start] + "\n" + settings_table(cls) + text[end:]
    return text


if __name__ == "__main__":
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description="Rewrite the settings tables of the docs.")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--docs", type=Path, default=Path("docs/components.md"))
    args = parser.parse_args()
    # run as __main__, this module's Settings is not the one the components import
    from beritanlp.components.base import write_docs as write

    new = write(args.docs.read_text(encoding="utf-8"))
    if args.write:
        args.docs.write_text(new, encoding="utf-8")
    else:
        print(new, end="")
