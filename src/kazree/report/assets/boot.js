document.querySelectorAll("script.figure-spec").forEach(function (el) {
  var spec = JSON.parse(el.textContent);
  var target = document.getElementById(el.dataset.target);
  Plotly.newPlot(target, spec.data, spec.layout, {
    responsive: true,
    displaylogo: false,
    showLink: false,
    showSendToCloud: false,
  });
});
