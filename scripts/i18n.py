"""Translation catalogs: `python scripts/i18n.py extract|update|compile|check`.

    extract [-o FILE]  write the template (.pot) of every text in bot/texts (default: stdout)
    update             merge new and changed texts into each bot/locale/<lang>/…/messages.po
    compile            write each messages.mo from its .po (the bot reads only the .mo)
    check              list missing, fuzzy or mismatched translations and stale .mo files;
                       exit status 1 if there are any (the tests run the same check)

A new or changed English text: `update`, translate the empty (or fuzzy) entries in each
.po, `compile`, then `check`.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.pofile import write_po

from bot import i18n_catalog


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("extract", "update", "compile", "check"))
    parser.add_argument("-o", "--output", help="extract: the .pot file to write")
    args = parser.parse_args(argv)
    languages = i18n_catalog.translation_languages()
    if args.command == "extract":
        buffer = io.BytesIO()
        write_po(buffer, i18n_catalog.template(), width=96)
        if args.output:
            Path(args.output).write_bytes(buffer.getvalue())
        else:
            sys.stdout.write(buffer.getvalue().decode("utf-8"))
        return 0
    if args.command == "update":
        for language in languages:
            catalog = i18n_catalog.update(language)
            todo = sum(
                1 for message in catalog if message.id and (message.fuzzy or not message.string)
            )
            print(f"{i18n_catalog.po_path(language)}: {todo} to translate or review")
        return 0
    if args.command == "compile":
        for language in languages:
            i18n_catalog.compile_catalog(language)
            print(f"wrote {i18n_catalog.mo_path(language)}")
        return 0
    status = i18n_catalog.main_check()
    if status == 0:
        print(f"all catalogs complete: {', '.join(languages)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
