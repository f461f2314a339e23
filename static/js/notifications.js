// The header's count of unread notices (notifications.views.unread), shown beside "Avisos" when there are any.
(function () {
  "use strict";
  var link = document.querySelector("[data-unread-url]");
  if (!link) { return; }
  fetch(link.getAttribute("data-unread-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : { unread: 0 }; })
    .then(function (data) {
      var badge = link.querySelector("[data-unread-count]");
      if (data.unread > 0) {
        badge.textContent = data.unread;
        badge.hidden = false;
      }
    })
    .catch(function () { /* the count is a convenience: the page works without it */ });
})();
