"""A long list is built a page at a time, and the rest comes as the person moves down."""

from __future__ import annotations

from textual.app import App, ComposeResult

from tpe_tui.ui.widgets.paged_table import PagedTable


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield PagedTable(cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(PagedTable)
        table.add_column("Entreprise")
        table.set_rows([(f"k{n}", (f"Entreprise [{n}]",)) for n in range(1000)])
        table.focus()


async def test_only_a_page_is_built_and_the_next_comes_with_the_cursor() -> None:
    app = OneTable()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        assert (table.row_count, table.total_rows) == (PagedTable.PAGE, 1000)
        await pilot.press("ctrl+end")  # to the last row built: the next page is built
        await pilot.pause()
        assert table.row_count == 2 * PagedTable.PAGE
        await pilot.press(*["pagedown"] * 60)
        await pilot.pause()
        assert table.row_count == 1000
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.cursor_row == 999
        assert table.get_row_at(999)[0].plain == "Entreprise [999]"  # shown as typed


async def test_new_rows_keep_the_cursor_where_it_is_asked() -> None:
    app = OneTable()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        table.set_rows([(f"r{n}", (str(n),)) for n in range(600)], cursor=450)
        await pilot.pause()
        assert table.cursor_row == 450
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == "r450"
        assert table.row_count == 450 + PagedTable.PAGE
