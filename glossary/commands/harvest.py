"""``glossary harvest`` and ``glossary apply-harvest``: equivalents from parallel texts, then a reviewed apply."""

from __future__ import annotations

import csv
import io
import os

import click

from glossary.commands._common import (echo_json, existing_terms_dir, format_option, load_termbase, progress,
                                       render_table, terms_dir, writable_terms_dir)
from glossary.model import LANGUAGES

HEADERS = ["mark", "concept", "source term", "proposed", "head", "score", "segs", "references", "evidence"]


@click.command()
@click.argument("source", type=click.Path(exists=True, path_type=str))
@click.argument("target", required=False, type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--src", "src", type=click.Choice(LANGUAGES), required=True, help="Language of SOURCE.")
@click.option("--tgt", "tgt", type=click.Choice(LANGUAGES), required=True, help="Language of TARGET.")
@click.option("--candidate", "candidates", multiple=True,
              help="Also harvest this source expression that is not in the termbase (repeatable).")
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=None,
              help="Score a proposal needs [default: the measured one, see scripts/eval_harvest.py].")
@click.option("--write-review", "review_file", type=click.Path(dir_okay=False, path_type=str),
              help="Write the fills/differs/new results to FILE for review (never inside the termbase).")
@format_option("table", "json", "tsv")
@click.pass_context
def harvest(ctx: click.Context, source: str, target: str | None, src: str, tgt: str, candidates: tuple[str, ...],
            min_score: float | None, review_file: str | None, fmt: str) -> None:
    """Propose TGT equivalents of termbase concepts from a parallel text, with the evidence.

    SOURCE and TARGET are two versions of one document (the Treaty, the Protocol, a PrepCom report), or
    SOURCE is a directory of language-tagged files (NAME.en.txt beside NAME.fr.txt). Provisions are
    aligned by their labels (Article, Part, paragraph, sub-paragraph, table row), by length elsewhere; each
    concept whose SRC term occurs gets the TGT expression that co-occurs with it, marked against the
    termbase head: confirms, fills (the head is proposed, or missing), differs, new. Nothing in the
    termbase changes: review with --write-review, then `glossary apply-harvest FILE`.

    \b
    Example:
        glossary harvest treaty.en.txt treaty.fr.txt --src en --tgt fr
        glossary harvest reference/ --src en --tgt fr --format json
        glossary harvest reference/ --src en --tgt fr --write-review review.yaml
    """
    from glossary.harvest import MIN_SCORE, document_pairs, harvest as run

    if review_file:
        _check_outside(review_file, terms_dir(ctx))
    termbase = load_termbase(ctx)
    pairs = document_pairs(source, target, src, tgt)

    def bar(ids):
        with progress(ids, label="harvest", length=len(ids)) as items:
            yield from items

    result = run(pairs, termbase, src, tgt, candidates=candidates, progress=bar,
                 min_score=MIN_SCORE if min_score is None else min_score)
    if review_file:
        from glossary.harvest_review import write_review

        count = write_review(review_file, result)
        click.echo(f"wrote {count} item(s) to review in {review_file}; then: glossary apply-harvest {review_file}",
                   err=True)
    click.echo(render(result, fmt), nl=fmt != "tsv")


def _check_outside(path: str, directory) -> None:
    from glossary.errors import InputError

    if os.path.realpath(os.path.dirname(os.path.abspath(path))) == os.path.realpath(directory):
        raise InputError("the review file must not be written inside the termbase directory", path)


def render(result, fmt: str) -> str:
    if fmt == "json":
        import json

        return json.dumps(result.as_dict(), ensure_ascii=False, indent=2)
    rows = [[e.mark, e.concept or "", e.source_term, e.target_term or "", e.head or "", f"{e.score:.2f}",
             str(e.segments), "; ".join(e.references[:3]) + (" …" if len(e.references) > 3 else ""),
             (e.kwic_target[0] if e.kwic_target else "")] for e in result.equivalents]
    if fmt == "tsv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(HEADERS)
        writer.writerows(rows)
        return out.getvalue()
    a = result.alignment
    lines = [render_table(rows, HEADERS), ""]
    marks = ", ".join(f"{m} {n}" for m, n in sorted(result.as_dict()["marks"].items()))
    lines.append(f"alignment: {a.share:.1%} of segments aligned ({a.by_label} pairs by label, "
                 f"{len(a.pairs) - a.by_label} by length); {len(result.equivalents)} equivalents: {marks or 'none'}")
    unaligned = [("source", s) for s in a.unaligned_source] + [("target", s) for s in a.unaligned_target]
    if unaligned:
        lines.append(f"not aligned ({len(unaligned)}): " + "; ".join(
            f"{s.path}:{s.line} ({s.ref})" for _side, s in unaligned[:12]) + (" …" if len(unaligned) > 12 else ""))
    return "\n".join(lines)


@click.command("apply-harvest")
@click.argument("review_file", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@format_option("table", "json")
@click.pass_context
def apply_harvest(ctx: click.Context, review_file: str, dry_run: bool, fmt: str) -> None:
    """Apply the decisions of a reviewed `glossary harvest --write-review` file to the term files.

    Only items whose decision is `accept` or `admit` change anything; each changed term records the
    provisions it was read in as its `source`, and a replaced head term stays as `keep_old`.

    \b
    Example:
        glossary apply-harvest --dry-run review.yaml
        glossary apply-harvest review.yaml
    """
    from glossary.harvest_review import apply_review

    directory = existing_terms_dir(ctx) if dry_run else writable_terms_dir(ctx)
    result = apply_review(directory, review_file, dry_run=dry_run)
    if fmt == "json":
        echo_json({"dry_run": dry_run, "term_files_changed": sorted(result.files),
                   "items": [o.as_dict() for o in result.outcomes]})
        return
    rows = [[o.outcome, o.decision, o.concept or "", o.detail] for o in result.outcomes if o.decision != "pending"]
    if rows:
        click.echo(render_table(rows, ["outcome", "decision", "concept", "detail"]))
    pending = sum(o.decision == "pending" for o in result.outcomes)
    verb = "would change" if dry_run else "changed"
    click.echo(f"{pending} item(s) still pending; term files {verb}: {', '.join(sorted(result.files)) or 'none'}")
