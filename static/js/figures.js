// What the figure pages (entry.js, programme.js) share: reading and printing amounts, Enter moves down a
// column, and a warning before leaving with unsaved changes.
window.siplanFigures = (function () {
  "use strict";
  const format = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  // The server's rule (goals.validators.parse_amount): a point for decimals (two at most), commas only between
  // groups of three, sixteen digits before the point at most; anything else is not a number (NaN).
  const AMOUNT = /^-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]{1,2})?$/;
  const MAX_DIGITS = 16;

  function number(text) {
    const plain = String(text).trim();
    if (!AMOUNT.test(plain)) return NaN;
    const digits = plain.replace(/,/g, "");
    if (digits.replace(/^-/, "").split(".")[0].replace(/^0+/, "").length > MAX_DIGITS) return NaN;
    const value = Number(digits || "0");
    return Number.isFinite(value) ? value : NaN;
  }

  // A percentage as the page shows it: past a million per cent the figure means "far too much", not a number to read.
  const PERCENT_CAP = 1000000;
  function percent(part, whole) {
    const value = whole ? (part * 100) / whole : 0;
    return Math.abs(value) >= PERCENT_CAP ? `> ${format.format(PERCENT_CAP)}` : format.format(value);
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

  return { format, number, percent, sumOf, moveDownOnEnter, guardUnsaved };
})();
