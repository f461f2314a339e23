// The programme page: each line's live sum of its twelve months and what remains of its current goal, marked
// when the sum passes the goal (the server refuses it); Enter moves down a month's column; a warning before
// leaving with unsaved changes (figures.js).
(function () {
  "use strict";
  const form = document.getElementById("programme-form");
  if (!form) return;
  const { format, number, sumOf, moveDownOnEnter, guardUnsaved } = window.siplanFigures;
  const inputs = Array.from(form.querySelectorAll("input[data-month]"));

  function refresh(line) {
    const sum = sumOf(Array.from(line.querySelectorAll("input[data-month]")));
    const remaining = number(line.dataset.goal) - sum;
    line.querySelector(".line-sum").textContent = format.format(sum);
    line.querySelector(".remaining").textContent = format.format(remaining);
    line.classList.toggle("over-goal", remaining < 0);
  }

  inputs.forEach((input) => input.addEventListener("input", () => refresh(input.closest("tr"))));
  form.querySelectorAll("tr[data-goal]").forEach(refresh);
  moveDownOnEnter(inputs, (input) => input.dataset.month);
  guardUnsaved(form, inputs);
})();
