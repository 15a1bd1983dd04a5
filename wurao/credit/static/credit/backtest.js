/* The backtest page: the hit rate per grade of two points tables as a bar chart, drawn when the
   page loads and whenever htmx swaps in a finished job's result. The figures are also in the
   table beside the chart, for a reader without it. */
(function () {
  "use strict";

  const COLOURS = ["#d49a1a", "#8c1c13"];
  const FONT = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

  function draw(el) {
    const dataEl = document.getElementById(el.dataset.source);
    if (!dataEl || typeof echarts === "undefined" || el.dataset.drawn) return;
    const data = JSON.parse(dataEl.textContent);
    const unit = el.dataset.unit || "%";
    const chart = echarts.init(el, null, { renderer: "svg" });
    const series = [data.a, data.b].map(function (values, i) {
      return {
        name: data.names[i],
        type: "bar",
        data: values,
        barMaxWidth: 28,
        itemStyle: { color: COLOURS[i] },
        label: { show: true, position: "top", formatter: function (p) { return p.value == null ? "" : p.value + unit; } },
      };
    });
    chart.setOption({
      textStyle: { fontFamily: FONT },
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v == null ? "—" : v + unit; } },
      legend: { top: 0, data: data.names },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisTick: { show: false } },
      yAxis: { type: "value", min: 0, axisLabel: { formatter: "{value}" + unit }, splitLine: { lineStyle: { color: "#eee" } } },
      series: series,
    });
    el.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll(root) {
    (root.querySelectorAll ? root : document).querySelectorAll(".backtest-chart[data-source]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });

  // htmx swaps the finished job in place of the "计算中" notice: draw its chart, and let a new
  // run start once nothing is being computed.
  document.addEventListener("htmx:load", function (event) {
    drawAll(event.target.parentNode || document);
    if (!document.querySelector("#backtest-job[hx-get]")) {
      document.querySelectorAll("#backtest-submit, #calibrate-submit").forEach(function (b) { b.disabled = false; });
    }
  });
})();
