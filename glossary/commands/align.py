"""``glossary align``: mined candidates against the termbase, coverage, and proposals for new entries."""

from __future__ import annotations

import csv
import io
import json
import sys

import click

from glossary.commands._common import format_option, load_termbase, progress, render_table, terms_dir

HEADERS = ["rank", "candidate", "frequency", "method", "score", "concept", "english"]


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True, path_type=str))
@click.option("--candidates", "candidates_file", type=click.Path(dir_okay=False, path_type=str),
              help="Align a saved `glossary mine --format json` instead of mining (PATHS then only feed coverage).")
@click.option("--top", type=click.IntRange(min=0), default=100, show_default=True,
              help="Mine and align the N best candidates (0: all).")
@click.option("--discovery", is_flag=True, help="Mine without termbase knowledge (see `glossary mine --help`).")
@click.option("--fuzzy-threshold", type=click.FloatRange(0.0, 1.0), default=None,
              help="Similarity (0-1) a fuzzy match needs [default: the measured one, see scripts/eval_align.py].")
@click.option("--no-fuzzy", is_flag=True, help="Switch fuzzy matching off.")
@click.option("--write-proposals", "proposals_file", type=click.Path(dir_okay=False, path_type=str),
              help="Write stubs for the best unknown candidates to FILE (never inside the termbase); candidates "
                   "rejected with `glossary reject` are never proposed.")
@click.option("--proposals", "limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="How many stubs --write-proposals writes (0: all).")
@click.option("--min-frequency", type=click.IntRange(min=1), default=2, show_default=True,
              help="Occurrences a candidate needs to become a proposal.")
@click.option("--force", is_flag=True, help="Overwrite an existing proposals file.")
@format_option("table", "json", "csv")
@click.pass_context
def align(ctx: click.Context, paths: tuple[str, ...], candidates_file: str | None, top: int, discovery: bool,
          fuzzy_threshold: float | None, no_fuzzy: bool, proposals_file: str | None, limit: int,
          min_frequency: int, force: bool, fmt: str) -> None:
    """Match mined term candidates to termbase concepts and measure coverage.

    Each candidate gets the method that matched it (exact, normalised, shortform, compositional, fuzzy;
    composition or none when no concept fits), a score, the concept and its English term. Without PATHS
    the bundled report CTBT/WGB-62/INF.4 is mined.

    \b
    Example:
        glossary align --top 50
        glossary mine --format json > candidates.json
        glossary align --candidates candidates.json --format json
        glossary align --write-proposals proposals.yaml
    """
    from glossary.align import FUZZY_THRESHOLD, align as align_report, read_candidates
    from glossary.corpus import iter_documents, read_document
    from glossary.rejections import rejected_keys
    from glossary.resources import BUNDLED_REPORT, REPORT_SYMBOL

    if proposals_file:
        from glossary.proposals import check_proposals_target

        check_proposals_target(proposals_file, terms_dir(ctx), force)
    termbase = load_termbase(ctx)
    rejected = rejected_keys(terms_dir(ctx))  # candidates a terminologist rejected are never proposed again
    chosen = list(paths) or ([] if candidates_file else [str(BUNDLED_REPORT)])
    stdin = read_document("-", sys.stdin.buffer.read()) if "-" in chosen else None

    def documents():
        yield from iter_documents([p for p in chosen if p != "-"])
        if stdin is not None:
            yield stdin

    if candidates_file:
        candidates = read_candidates(candidates_file)
        if top:
            candidates = candidates[:top]
    else:
        from glossary.mining import MiningConfig, mine

        result = mine(documents, termbase=termbase, discovery=discovery, config=MiningConfig(top=top or None),
                      rejected=rejected)
        candidates = result.candidates
    threshold = None if no_fuzzy else (fuzzy_threshold if fuzzy_threshold is not None else FUZZY_THRESHOLD)
    corpus = None
    if chosen:
        with progress(list(documents()), label="coverage") as items:
            corpus = list(items)
    report = align_report(candidates, termbase, corpus, threshold)
    if proposals_file:
        from glossary.proposals import proposal_concepts, write_proposals

        concepts = proposal_concepts(report.alignments, termbase, limit, min_frequency, rejected)
        document = corpus[0].symbol if corpus and len(corpus) == 1 else REPORT_SYMBOL if not paths else "the corpus"
        write_proposals(proposals_file, concepts, terms_dir(ctx), document, force)
        click.echo(f"wrote {len(concepts)} proposal(s) to {proposals_file}", err=True)
    click.echo(render(report, fmt), nl=fmt != "csv")


def render(report, fmt: str) -> str:
    """Alignments as a table with a coverage summary, as JSON (with coverage) or as CSV."""
    if fmt == "json":
        return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
    rows = [[str(a.candidate.rank), a.candidate.term, str(a.candidate.frequency), a.match.method,
             f"{a.match.score:.2f}", a.match.concept_id or "", a.english or ""] for a in report.alignments]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADERS)
        writer.writerows(rows)
        return out.getvalue()
    return render_table(rows, HEADERS) + "\n\n" + summary(report.coverage)


def summary(coverage) -> str:
    methods = ", ".join(f"{m} {n}" for m, n in coverage.by_method.items())
    lines = [f"coverage: {coverage.covered} of the {coverage.candidates} candidates map to a concept "
             f"({coverage.share:.0%}; {coverage.frequency_share:.0%} of their occurrences); {methods}"]
    if coverage.concepts:
        seen = sorted(coverage.seen, key=lambda c: (-c.occurrences, c.concept_id))
        lines.append(f"concepts seen in the corpus: {len(seen)} of {len(coverage.concepts)}; most frequent: "
                     + ", ".join(f"{c.concept_id} ({c.occurrences})" for c in seen[:8]))
        never = coverage.never_seen
        if never:
            lines.append(f"never seen ({len(never)}): " + ", ".join(never))
    return "\n".join(lines)
