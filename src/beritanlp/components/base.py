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
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from ..errors import ConfigError

__all__ = ["Settings", "default_config", "register_factory", "settings_to_json"]

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
