"""Write docs/data-dictionary.md from the column comments (see pipeline/db/dictionary.py).

    .venv/bin/python scripts/data_dictionary.py          # (re)write the file
    .venv/bin/python scripts/data_dictionary.py --check  # exit 1 when the file is stale
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.db.dictionary import render  # noqa: E402

TARGET = ROOT / "docs" / "data-dictionary.md"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not TARGET.is_file() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is stale: run .venv/bin/python scripts/data_dictionary.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
