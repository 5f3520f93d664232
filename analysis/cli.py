"""The command line: ``build`` the dataset, ``export`` it as CSV, ``evaluate`` it against gold.

Exit status: 0 done; 1 some files were skipped (build) or some checks failed (evaluate);
2 usage error (missing corpus or dataset folder, unknown format, bad option);
3 the build failed (nothing written, the previous dataset is intact).
Heavy modules (spaCy, pandas) are imported only by the command that needs them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3
EXPORT_FORMATS = ("csv",)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Expert Lens: build, export and evaluate the pre-parsed dataset.",
        epilog="exit status: 0 ok, 1 files skipped / checks failed, 2 usage error, 3 build failed")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = sub.add_parser("build", help="parse a corpus folder into a dataset folder")
    build.add_argument("--corpus", type=Path, default=Path("seeds"), help="corpus folder (seeds)")
    build.add_argument("--out", type=Path, default=Path("data"), help="dataset folder (data)")
    build.add_argument("--workers", type=int, default=None, metavar="N",
                       help="worker processes (default: min(2, CPUs); small jobs run in-process)")
    build.add_argument("--no-cache", action="store_true",
                       help="parse every article again (the cache is refreshed)")
    export = sub.add_parser("export", help="write the dataset's tables as files")
    export.add_argument("--data", type=Path, default=Path("data"), help="dataset folder (data)")
    export.add_argument("--to", type=Path, required=True, help="output folder")
    export.add_argument("--format", default="csv", help=f"one of: {', '.join(EXPORT_FORMATS)}")
    evaluate = sub.add_parser("evaluate", help="precision and recall against a gold file")
    evaluate.add_argument("--data", type=Path, default=Path("data"), help="dataset folder (data)")
    evaluate.add_argument("--gold", type=Path, required=True, help="gold annotations (YAML)")
    return parser


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    """Build the dataset; print skipped files, warnings and a one-line summary."""
    from analysis.build import BuildError, OutputError, build_dataset
    from analysis.corpus import CorpusError

    if args.workers is not None and args.workers < 1:
        _err("error: --workers must be at least 1")
        return EXIT_USAGE
    try:
        report = build_dataset(args.corpus, args.out, workers=args.workers,
                               use_cache=not args.no_cache, progress=sys.stderr)
    except (CorpusError, OutputError) as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    except BuildError as exc:
        _err(f"error: build failed, {args.out} is unchanged: {exc}")
        return EXIT_FAILED
    for problem in report.problems:
        _err(str(problem))
    print(report.summary())
    return report.exit_code


def cmd_export(args: argparse.Namespace) -> int:
    """Export the dataset's tables to a folder of files."""
    if args.format not in EXPORT_FORMATS:
        _err(f"error: unknown format {args.format!r} (choose from {', '.join(EXPORT_FORMATS)})")
        return EXIT_USAGE
    from analysis.export import export_dataset
    from analysis.store import DatasetError

    try:
        written = export_dataset(args.data, args.to, fmt=args.format)
    except DatasetError as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    except OSError as exc:
        _err(f"error: cannot write to {args.to}: {exc}")
        return EXIT_USAGE
    print(f"wrote {len(written)} files to {args.to}")
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Print precision, recall and the gold checks; exit 1 when a check fails."""
    from analysis.evaluate import GoldError, evaluate_dataset, format_result
    from analysis.store import DatasetError

    try:
        result = evaluate_dataset(args.data, args.gold)
    except (DatasetError, GoldError) as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    print(format_result(result))
    return EXIT_OK if result.passed else EXIT_SKIPPED


COMMANDS = {"build": cmd_build, "export": cmd_export, "evaluate": cmd_evaluate}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: sys.argv[1:]); return the exit status."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    return COMMANDS[args.command](args)
