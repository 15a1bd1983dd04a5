/* The oversight dashboard's charts. Data comes from json_script blocks rendered by the server. */
(function () {
  "use strict";

  const RED = "#8c1c13";
  const AMBER = "#d49a1a";
  const FONT = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

  function readData(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function draw(id, option) {
    const el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") return;
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(Object.assign({ textStyle: { fontFamily: FONT }, animation: false }, option));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  // The chart's words in the page's language: the template puts them on the chart's element.
  function words(id) {
    const el = document.getElementById(id);
    return (el && el.dataset) || {};
  }

  function horizontalGrid() {
    return { left: 8, right: 56, top: 28, bottom: 8, containLabel: true };
  }

  function figure1() {
    const data = readData("figure1-data");
    if (!data) return;
    const w = words("figure1");
    draw("figure1", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: horizontalGrid(),
      xAxis: { type: "value", name: w.unit || "宗", splitLine: { lineStyle: { color: "#eee" } } },
      yAxis: { type: "category", data: data.names, inverse: true, axisTick: { show: false } },
      series: [{
        name: w.series || "执法行为", type: "bar", data: data.values, barMaxWidth: 22,
        itemStyle: { color: RED },
        label: { show: true, position: "right", formatter: function (p) { return p.value.toLocaleString("en-US"); } },
      }],
    });
  }

  function figure2() {
    const data = readData("figure2-data");
    if (!data) return;
    const label = { show: true, formatter: function (p) { return p.value || ""; } };
    const w = words("figure2");
    const enforcement = w.series || "执法行为";
    const other = w.seriesOther || "非执法入企";
    draw("figure2", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, data: [enforcement, other] },
      grid: horizontalGrid(),
      xAxis: { type: "value", name: w.unit || "次", minInterval: 1, splitLine: { lineStyle: { color: "#eee" } } },
      yAxis: { type: "category", data: data.organisations, inverse: true, axisTick: { show: false } },
      series: [
        { name: enforcement, type: "bar", stack: "visits", data: data.enforcement, itemStyle: { color: RED }, label: label, barMaxWidth: 22 },
        { name: other, type: "bar", stack: "visits", data: data.other, itemStyle: { color: AMBER }, label: label, barMaxWidth: 22 },
      ],
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    figure1();
    figure2();
  });
})();
