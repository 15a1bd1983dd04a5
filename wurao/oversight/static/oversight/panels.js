/* The rule-enforcement, grade and department tabs' charts (ECharts, served locally).
 *
 * Each chart is <div class="panel-chart" id="…" data-source="<json_script id>" data-kind=
 * "bar|column|stacked" data-unit="…" data-series="…">. Its data, rendered by the server:
 *   bar / column: {labels: [...], values: [...], urls: [...]}
 *   stacked:      {labels: [...], series: [{name, values: [...], urls: [...]}, ...]}
 * A click on a bar opens its url: the records behind the figure.
 */
(function () {
  "use strict";

  const COLOURS = ["#8c1c13", "#d49a1a", "#1d4f91", "#5b7f3a"];
  const FONT = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

  function readData(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function number(p) {
    return typeof p.value === "number" ? p.value.toLocaleString("en-US") : p.value;
  }

  function option(el, data) {
    const kind = el.dataset.kind || "bar";
    const unit = el.dataset.unit || "";
    const series = data.series || [{ name: el.dataset.series || "", values: data.values, urls: data.urls }];
    const horizontal = kind !== "column";
    const category = { type: "category", data: data.labels, axisTick: { show: false } };
    const value = { type: "value", name: unit, minInterval: unit === "%" ? 0 : 1, splitLine: { lineStyle: { color: "#eee" } } };
    if (horizontal) category.inverse = true;
    return {
      textStyle: { fontFamily: FONT },
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: series.length > 1 ? { top: 0 } : undefined,
      grid: { left: 8, right: 48, top: series.length > 1 || !horizontal ? 34 : 20, bottom: 8, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: series.map(function (s, i) {
        return {
          name: s.name,
          type: "bar",
          stack: kind === "stacked" ? "total" : undefined,
          data: s.values,
          barMaxWidth: 22,
          cursor: "pointer",
          itemStyle: { color: COLOURS[i % COLOURS.length] },
          label: { show: kind !== "stacked", position: horizontal ? "right" : "top", formatter: number },
        };
      }),
    };
  }

  function draw(el) {
    const data = readData(el.dataset.source);
    if (!data || typeof echarts === "undefined" || !data.labels || !data.labels.length) return;
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(el, data));
    const series = data.series || [{ urls: data.urls }];
    chart.on("click", function (p) {
      const urls = (series[p.seriesIndex] || {}).urls || [];
      if (urls[p.dataIndex]) window.location.href = urls[p.dataIndex];
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".panel-chart[data-source]").forEach(draw);
  });
})();
