// The monthly entry page: live cumulative and %, totals, Enter moves down a column, Σ fills a product
// with the sum of its same-unit subproducts, and a warning before leaving with unsaved changes.
(function () {
  "use strict";
  const form = document.getElementById("entry-form");
  if (!form) return;
  const inputs = Array.from(form.querySelectorAll("input[data-column]"));
  const format = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  let dirty = false;

  function number(text) {
    const value = Number(String(text).replace(/,/g, "").trim() || "0");
    return Number.isFinite(value) ? value : NaN;
  }

  function refresh(input) {
    const typed = number(input.value);
    const cumulative = number(input.dataset.before) + typed;
    const goal = number(input.dataset.goal);
    const cumulativeCell = form.querySelector(`.cumulative[data-for="${input.id}"]`);
    const pctCell = form.querySelector(`.pct[data-for="${input.id}"]`);
    cumulativeCell.textContent = Number.isNaN(cumulative) ? "—" : format.format(cumulative);
    pctCell.textContent = Number.isNaN(cumulative) ? "—" : format.format(goal ? (cumulative * 100) / goal : 0);
  }

  function refreshTotal() {
    const total = inputs
      .filter((input) => input.dataset.column === "financial")
      .reduce((sum, input) => sum + (number(input.value) || 0), 0);
    document.getElementById("financial-total").textContent = format.format(total);
  }

  inputs.forEach((input) => {
    refresh(input);
    input.addEventListener("input", () => {
      dirty = true;
      const flag = form.querySelector(".dirty-flag");
      if (flag) flag.hidden = false;
      refresh(input);
      refreshTotal();
    });
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      const column = inputs.filter((other) => other.dataset.column === input.dataset.column);
      const next = column[column.indexOf(input) + (event.shiftKey ? -1 : 1)];
      if (next) next.focus();
    });
  });
  refreshTotal();

  form.querySelectorAll("button.fill-sum").forEach((button) => {
    button.addEventListener("click", () => {
      const rows = form.querySelectorAll(`tr.subproduct[data-product="${button.dataset.product}"]`);
      let sum = 0;
      rows.forEach((row) => {
        if (row.dataset.unit === button.dataset.unit) {
          sum += number(row.querySelector('input[data-column="physical"]').value) || 0;
        }
      });
      const target = button.parentElement.querySelector('input[data-column="physical"]');
      target.value = sum.toFixed(2);
      target.dispatchEvent(new Event("input"));
    });
  });

  form.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
