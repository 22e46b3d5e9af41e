// Draw every figure from its JSON spec, then size it for print: an A4 page holds about
// PRINT_WIDTH CSS pixels between its margins, so a wider chart is zoomed down when printed.
var PRINT_WIDTH = 680;
document.querySelectorAll("script.figure-spec").forEach(function (el) {
  var spec = JSON.parse(el.textContent);
  var target = document.getElementById(el.dataset.target);
  Plotly.newPlot(target, spec.data, spec.layout, {
    responsive: true,
    displaylogo: false,
    showLink: false,
    showSendToCloud: false,
  }).then(function () {
    var width = target.getBoundingClientRect().width;
    target.style.setProperty("--print-zoom", String(Math.min(1, PRINT_WIDTH / width)));
  });
});
