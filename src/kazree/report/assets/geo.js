window.PlotlyGeoAssets = {
  topojson: { world_110m: JSON.parse(document.getElementById("world-110m").textContent) },
};
