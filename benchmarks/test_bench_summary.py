"""Rendering a summary is pure and should take a few milliseconds."""

from __future__ import annotations

from benchmarks.conftest import demo_file
from tpe_tui.documents import summary
from tpe_tui.services.summary import SummarySource
from tpe_tui.services.workspace import Workspace


def _source(bench_dir) -> SummarySource:
    with Workspace.snapshot(demo_file(bench_dir, 1000)) as workspace:
        session = next(
            s
            for s in workspace.store.records("sessions")
            if s["status"] == "closed" and s.get("redirections")
        )
        return SummarySource.of(workspace, session)


def test_render_summary_markdown(benchmark, bench_dir) -> None:
    source = _source(bench_dir)
    result = benchmark(source.render)
    assert "Compte rendu" in result.text


def test_render_summary_html(benchmark, bench_dir) -> None:
    source = _source(bench_dir)
    benchmark(lambda: summary.html_page(source.render().text, source.title()))


def test_render_summary_pdf(benchmark, bench_dir) -> None:
    from tpe_tui.documents.pdf import markdown_to_pdf

    source = _source(bench_dir)
    text = source.render().text
    benchmark.pedantic(markdown_to_pdf, args=(text, "t"), rounds=5, iterations=1)
