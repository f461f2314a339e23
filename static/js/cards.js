// Wide tables inside an element marked data-cards (the entry, programme and report pages) read as one card per
// row on a phone (siplan.css, "Phone cards"): each body cell is labelled with the heading of its column
// (data-label) and, first under a heading that spans several columns, with that heading too (data-group). The
// labels are the table's own headings, so they speak the page's language. Without this script the table stays a
// table that scrolls inside its box.
(function () {
  "use strict";

  // For each row of `rows`, its cells with the column each starts at, rowspans and colspans of earlier cells
  // resolved (the HTML table model).
  function placed(rows) {
    const taken = [];
    return rows.map(function (row, r) {
      let column = 0;
      return Array.from(row.cells).map(function (cell) {
        while (taken[r] && taken[r][column]) column += 1;
        for (let down = 0; down < cell.rowSpan; down += 1) {
          taken[r + down] = taken[r + down] || [];
          for (let across = 0; across < cell.colSpan; across += 1) taken[r + down][column + across] = true;
        }
        const start = column;
        column += cell.colSpan;
        return { cell: cell, column: start };
      });
    });
  }

  function label(table) {
    const heads = [], groups = [];
    placed(Array.from(table.tHead ? table.tHead.rows : [])).forEach(function (cells) {
      cells.forEach(function (item) {
        const text = item.cell.textContent.trim();
        if (item.cell.colSpan > 1) groups[item.column] = text;
        else heads[item.column] = text;
      });
    });
    Array.from(table.tBodies).forEach(function (body) {
      placed(Array.from(body.rows)).forEach(function (cells) {
        cells.forEach(function (item) {
          if (item.cell.tagName !== "TD") return;
          if (heads[item.column]) item.cell.dataset.label = heads[item.column];
          if (groups[item.column]) item.cell.dataset.group = groups[item.column];
        });
      });
    });
    table.classList.add("cards");
  }

  document.querySelectorAll("[data-cards] table").forEach(label);
})();
