// The monthly entry page: live cumulative and %, a product's money as the sum of its subproducts', the month's
// total, Enter moves down a column, Σ fills a product with the sum of its same-unit subproducts, and a warning
// before leaving with unsaved changes (figures.js).
(function () {
  "use strict";
  const form = document.getElementById("entry-form");
  if (!form) return;
  const { format, number, percent, sumOf, moveDownOnEnter, guardUnsaved } = window.siplanFigures;
  const inputs = Array.from(form.querySelectorAll("input[data-column]"));

  // `source` carries data-goal and data-before; its cumulative and % cells name it in data-for.
  function showProgress(source, month) {
    const cumulative = number(source.dataset.before) + month;
    const goal = number(source.dataset.goal);
    const known = !Number.isNaN(cumulative);
    form.querySelector(`.cumulative[data-for="${source.id}"]`).textContent = known ? format.format(cumulative) : "—";
    form.querySelector(`.pct[data-for="${source.id}"]`).textContent = known ? percent(cumulative, goal) : "—";
  }

  function subproductInputs(product, column) {
    return Array.from(form.querySelectorAll(`tr.subproduct[data-product="${product}"] input[data-column="${column}"]`));
  }

  function refreshProductMoney(product) {
    const cell = document.getElementById(`money-${product}`);
    if (!cell) return;
    const month = sumOf(subproductInputs(product, "financial"));
    cell.textContent = format.format(month);
    showProgress(cell, month);
  }

  function refreshTotal() {
    const money = inputs.filter((input) => input.dataset.column === "financial");
    document.getElementById("financial-total").textContent = format.format(sumOf(money));
  }

  function changed(input) {
    showProgress(input, number(input.value));
    if (input.dataset.column === "financial") {
      refreshProductMoney(input.closest("tr").dataset.product);
      refreshTotal();
    }
  }

  inputs.forEach((input) => {
    showProgress(input, number(input.value));
    input.addEventListener("input", () => changed(input));
  });
  moveDownOnEnter(inputs, (input) => input.dataset.column);
  guardUnsaved(form, inputs);
  form.querySelectorAll("tr.product").forEach((row) => refreshProductMoney(row.dataset.product));
  refreshTotal();

  form.querySelectorAll("button.fill-sum").forEach((button) => {
    button.addEventListener("click", () => {
      const sameUnit = subproductInputs(button.dataset.product, "physical").filter(
        (input) => input.closest("tr").dataset.unit === button.dataset.unit
      );
      const target = button.parentElement.querySelector('input[data-column="physical"]');
      target.value = sumOf(sameUnit).toFixed(2);
      target.dispatchEvent(new Event("input"));
    });
  });
})();
