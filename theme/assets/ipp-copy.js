// Copy buttons for the permanent address and the citation, and today's date as the citation's 引用日期.
// Without this script the buttons stay hidden and both texts remain plain, selectable text.
(function () {
  "use strict";
  var now = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  document.querySelectorAll("[data-ipp-today]").forEach(function (el) { el.textContent = today; });
  var status = document.querySelector(".ipp-copy-status");
  var say = function (text) { if (status) { status.textContent = text; } };
  document.querySelectorAll("button.ipp-copy[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent.replace(/[ \t\r\n]+/g, " ").trim();
      var selectIt = function () {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        var copied = false;
        try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
        say(copied ? "已复制：" + text : "已选中，请按 Ctrl+C（或 ⌘C）复制。");
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { say("已复制：" + text); }, selectIt);
      } else {
        selectIt();
      }
    });
  });
})();
