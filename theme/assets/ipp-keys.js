// On every page: "/" puts the cursor in the header's search box (unless one is typing already).
document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
  var box = document.getElementById("ipp-header-q");
  if (!box) return;
  event.preventDefault();
  event.stopPropagation();
  box.focus();
  box.select();
});
