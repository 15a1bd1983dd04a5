/* The oversight dashboard's charts (总览, 入企负担). CSP-strict: no inline script; data comes
   from json_script blocks the server renders.

   Every <div class="chart" data-chart="TYPE" data-source="ID"> is drawn from the JSON in
   <script id="ID">; its words (unit, series names) come from the element's data-* attributes.
   TYPE and data:
     hbar    {names, values, urls}            horizontal bars (Figure 1, origins)
     bar     {names, values, urls}            vertical bars (the burden histogram)
     stack   {organisations, enforcement, other, urls}   Figure 2
     lorenz  {points: [[x, y]...], urls}      the concentration curve, with the diagonal
   A click on a bar or a point opens urls[index]: the records behind it. */
(function () {
  "use strict";

  const RED = "#8c1c13";
  const AMBER = "#d49a1a";
  const GREY = "#999";
  const FONT = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

  function readData(id) {
    const el = id && document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function thousands(v) { return (v || 0).toLocaleString("en-US"); }

  function grid(horizontal) {
    return horizontal ? { left: 8, right: 56, top: 28, bottom: 8, containLabel: true }
      : { left: 8, right: 16, top: 32, bottom: 8, containLabel: true };
  }

  function options(type, data, w) {
    if (type === "hbar") {
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: grid(true),
        xAxis: { type: "value", name: w.unit || "", splitLine: { lineStyle: { color: "#eee" } } },
        yAxis: { type: "category", data: data.names, inverse: true, axisTick: { show: false },
          axisLabel: { width: 140, overflow: "truncate" } },
        series: [{ name: w.series || "", type: "bar", data: data.values, barMaxWidth: 22, cursor: "pointer",
          itemStyle: { color: RED },
          label: { show: true, position: "right", formatter: function (p) { return thousands(p.value); } } }],
      };
    }
    if (type === "bar") {
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: grid(false),
        xAxis: { type: "category", data: data.names, name: w.axis || "", nameLocation: "middle", nameGap: 28 },
        yAxis: { type: "value", name: w.unit || "", minInterval: 1, splitLine: { lineStyle: { color: "#eee" } } },
        series: [{ name: w.series || "", type: "bar", data: data.values, barMaxWidth: 40, cursor: "pointer",
          itemStyle: { color: RED },
          label: { show: true, position: "top", formatter: function (p) { return p.value ? thousands(p.value) : ""; } } }],
      };
    }
    if (type === "stack") {
      const label = { show: true, formatter: function (p) { return p.value || ""; } };
      const enforcement = w.series || "执法行为";
      const other = w.seriesOther || "非执法入企";
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0, data: [enforcement, other] },
        grid: grid(true),
        xAxis: { type: "value", name: w.unit || "", minInterval: 1, splitLine: { lineStyle: { color: "#eee" } } },
        yAxis: { type: "category", data: data.organisations, inverse: true, axisTick: { show: false },
          axisLabel: { width: 140, overflow: "truncate" } },
        series: [
          { name: enforcement, type: "bar", stack: "visits", data: data.enforcement, itemStyle: { color: RED }, label: label, barMaxWidth: 22, cursor: "pointer" },
          { name: other, type: "bar", stack: "visits", data: data.other, itemStyle: { color: AMBER }, label: label, barMaxWidth: 22, cursor: "pointer" },
        ],
      };
    }
    if (type === "lorenz") {
      return {
        tooltip: { trigger: "item", formatter: function (p) {
          return (w.x || "") + " " + p.value[0] + "%<br>" + (w.y || "") + " " + p.value[1] + "%"; } },
        grid: { left: 24, right: 24, top: 16, bottom: 36, containLabel: true },
        xAxis: { type: "value", min: 0, max: 100, name: w.x || "", nameLocation: "middle", nameGap: 24 },
        yAxis: { type: "value", min: 0, max: 100, name: w.y || "", nameLocation: "middle", nameGap: 34 },
        series: [
          { name: w.series || "", type: "line", data: data.points, showSymbol: true, symbolSize: 5,
            cursor: "pointer", itemStyle: { color: RED }, lineStyle: { color: RED, width: 2 }, areaStyle: { color: "rgba(140,28,19,0.08)" } },
          { name: w.equal || "", type: "line", data: [[0, 0], [100, 100]], silent: true, showSymbol: false,
            lineStyle: { color: GREY, type: "dashed", width: 1 } },
        ],
      };
    }
    return null;
  }

  function draw(el) {
    const data = readData(el.dataset.source);
    const option = data && options(el.dataset.chart, data, el.dataset);
    if (!option || typeof echarts === "undefined") return;
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(Object.assign({ textStyle: { fontFamily: FONT }, animation: false }, option));
    chart.on("click", function (p) {
      if (p.seriesIndex > 0 && el.dataset.chart === "lorenz") return;  // the diagonal
      const url = data.urls && data.urls[p.dataIndex];
      if (url) window.location.assign(url);
    });
    el.dataset.drawn = "1";
    if (typeof ResizeObserver !== "undefined") {
      new ResizeObserver(function () { chart.resize(); }).observe(el);
    } else {
      window.addEventListener("resize", function () { chart.resize(); });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".chart[data-chart]").forEach(draw);
  });
})();
