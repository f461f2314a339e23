// What the figure pages (entry.js, programme.js) share: reading and printing amounts, Enter moves down a
// column, and a warning before leaving with unsaved changes.
window.siplanFigures = (function () {
  "use strict";
  const format = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function number(text) {
    const value = Number(String(text).replace(/,/g, "").trim() || "0");
    return Number.isFinite(value) ? value : NaN;
  }

  function sumOf(fields) {
    return fields.reduce((sum, field) => sum + (number(field.value) || 0), 0);
  }

  // Enter moves to the next input of the same column, Shift+Enter to the previous; `columnOf(input)` names it.
  function moveDownOnEnter(inputs, columnOf) {
    inputs.forEach((input) => {
      input.addEventListener("keydown", (event) => {
        if (event.key !== "Enter") return;
        event.preventDefault();
        const column = inputs.filter((other) => columnOf(other) === columnOf(input));
        const next = column[column.indexOf(input) + (event.shiftKey ? -1 : 1)];
        if (next) {
          next.focus();
          next.select();
        }
      });
    });
  }

  // Typing shows the form's .dirty-flag; leaving before saving asks first.
  function guardUnsaved(form, inputs) {
    let dirty = false;
    inputs.forEach((input) => {
      input.addEventListener("input", () => {
        dirty = true;
        const flag = form.querySelector(".dirty-flag");
        if (flag) flag.hidden = false;
      });
    });
    form.addEventListener("submit", () => {
      dirty = false;
    });
    window.addEventListener("beforeunload", (event) => {
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  return { format, number, sumOf, moveDownOnEnter, guardUnsaved };
})();
