// Filters of an aggregate page (department, year, topic, 落实覆盖): narrow the entries of this page by
// document, role and kind. Loaded only by those pages; without it the form stays hidden and
// the page lists every entry.
(function () {
  "use strict";
  var form = document.querySelector("form[data-ipp-filters]");
  if (!form) return;
  var entries = Array.prototype.slice.call(document.querySelectorAll(".ipp-listing li, .ipp-listing .ipp-target"));
  var status = form.querySelector("output");

  function apply() {
    var wanted = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.value) wanted[field.name] = field.value;
    });
    var shown = 0;
    entries.forEach(function (entry) {
      var match = Object.keys(wanted).every(function (name) {
        // An attribute shared by a whole group is set once, on the group.
        var holder = entry.closest("[data-" + name + "]");
        return holder !== null && holder.getAttribute("data-" + name) === wanted[name];
      });
      entry.hidden = !match;
      if (match) shown += 1;
    });
    // A heading with nothing left under it goes too (unfiltered, a group without entries stays:
    // on 落实覆盖 a document all of whose measures have tasks).
    var filtering = Object.keys(wanted).length > 0;
    document.querySelectorAll(".ipp-listing .ipp-subgroup, .ipp-listing .ipp-group").forEach(function (box) {
      box.hidden = filtering && !box.querySelector("li:not([hidden]), .ipp-target:not([hidden])");
    });
    status.textContent = Object.keys(wanted).length
      ? "本页显示 " + shown + " 项，共 " + entries.length + " 项"
      : "本页共 " + entries.length + " 项";
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
})();
