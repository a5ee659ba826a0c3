// Stands in for the `entities` package in markdown-it: the browser knows
// every HTML entity already, so the bundle need not carry its 77 KB table.
// markdown-it passes one whole entity ("&amp;", "&#x41;") at a time; a
// <textarea>'s content is parsed as text, so nothing but entities is read.
let area = null;
export function decodeHTML(s) {
  if (!area) area = document.createElement("textarea");
  area.innerHTML = s;
  return area.value;
}
