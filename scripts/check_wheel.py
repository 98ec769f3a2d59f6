"""Check a built beritanlp wheel: its size and what it carries (CI runs this, ``.ci/run``).

    python scripts/check_wheel.py dist/beritanlp-*.whl [--max-mb 25]

Prints the wheel's size and its largest folders, and fails (exit status 1) when the wheel is
larger than ``--max-mb`` megabytes (10^6 bytes), when it carries Stanza model files (``*.pt``:
they belong to the ``beritanlp-stanza-id`` package, ``packages/beritanlp-stanza-id``), or when
a bundled model the default pipeline needs is missing.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from collections import Counter
from pathlib import Path, PurePosixPath

#: Files the default pipeline reads from the wheel (one per bundled model).
REQUIRED = (
    "beritanlp/models/ner-id/meta.json",
    "beritanlp/models/topic-id/model.json",
    "beritanlp/models/keywords-id/idf.json",
    "beritanlp/py.typed",
)


def check(wheel: Path, max_mb: float) -> list[str]:
    """The problems of ``wheel`` (none: an empty list); prints a summary."""
    size = wheel.stat().st_size
    with zipfile.ZipFile(wheel) as archive:
        infos = archive.infolist()
    names = {info.filename for info in infos}
    folders: Counter[str] = Counter()
    for info in infos:
        parts = PurePosixPath(info.filename).parts
        folders["/".join(parts[:3]) if len(parts) > 3 else "/".join(parts[:-1]) or "."] += (
            info.compress_size
        )
    print(f"{wheel.name}: {size:,} bytes ({size / 1e6:.1f} MB), {len(infos)} files")
    for folder, packed in folders.most_common(6):
        print(f"  {packed / 1e6:6.1f} MB  {folder}/")
    problems = []
    if size > max_mb * 1e6:
        problems.append(f"the wheel is {size / 1e6:.1f} MB, over the limit of {max_mb:g} MB")
    weights = sorted(n for n in names if n.endswith(".pt"))
    if weights:
        problems.append(
            f"the wheel carries Stanza model files {weights[:4]}: they belong to the "
            "beritanlp-stanza-id package (packages/beritanlp-stanza-id)"
        )
    problems += [f"the wheel lacks {name}" for name in REQUIRED if name not in names]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", type=Path)
    parser.add_argument("--max-mb", type=float, default=25.0)
    args = parser.parse_args(argv)
    problems = check(args.wheel, args.max_mb)
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
