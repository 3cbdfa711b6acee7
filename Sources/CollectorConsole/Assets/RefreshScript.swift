/// The console's only script, optional: every 15 seconds it fetches the
/// page it is on (same origin, same session) and swaps in the elements
/// marked `data-live` (pools on now, agents), so those figures update
/// without a reload. Pages are complete without it.
enum RefreshScript {
    static let text = """
        "use strict";
        (function () {
          var live = document.querySelectorAll("[data-live]");
          if (!live.length || !window.fetch || !window.DOMParser) return;
          function refresh() {
            fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
              .then(function (response) { return response.ok ? response.text() : null; })
              .then(function (text) {
                if (!text) return;
                var fresh = new DOMParser().parseFromString(text, "text/html");
                document.querySelectorAll("[data-live]").forEach(function (element) {
                  var replacement = element.id && fresh.getElementById(element.id);
                  if (replacement) element.replaceWith(document.importNode(replacement, true));
                });
                document.documentElement.setAttribute("data-refreshed", String(Date.now()));
              })
              .catch(function () {});
          }
          setInterval(refresh, 15000);
        })();
        """
}
