// The big screen: today's numbers live from /api/v1/stats/live (server-sent
// events), rotating panels, and the 30-day trend drawn with ECharts.
(function () {
  'use strict';
  var body = document.querySelector('[data-page="bigscreen"]');
  if (!body) { return; }
  var trend = window.echarts ? echarts.init(document.getElementById('big-trend'), 'dark', { renderer: 'canvas' }) : null;

  function pick(obj, path) {
    return path.split('.').reduce(function (o, k) { return o == null ? o : o[k]; }, obj);
  }
  function show(live) {
    document.querySelectorAll('[data-live]').forEach(function (el) {
      var v = pick(live, el.dataset.live);
      if (v == null) { return; }
      var text = el.hasAttribute('data-pct') ? (Math.round(v * 1000) / 10) + '%' : String(v);
      if (el.textContent !== text) { el.textContent = text; el.classList.remove('flash'); void el.offsetWidth; el.classList.add('flash'); }
    });
    if (trend && live.trend) {
      trend.setOption({ backgroundColor: 'transparent', grid: { left: 60, right: 24, top: 24, bottom: 40 },
        tooltip: { trigger: 'axis', renderMode: 'richText' }, // no HTML: the CSP refuses style attributes
        xAxis: { type: 'category', data: live.trend.map(function (p) { return p.period.slice(5); }), axisLabel: { fontSize: 16 } },
        yAxis: { type: 'value', axisLabel: { fontSize: 16 } },
        series: [{ name: body.dataset.lReceived, type: 'bar', data: live.trend.map(function (p) { return p.value; }),
          itemStyle: { color: '#3fa7ff' } }] });
    }
  }

  function connect() {
    var es = new EventSource('/api/v1/stats/live');
    es.addEventListener('live', function (e) { show(JSON.parse(e.data)); });
  }

  function rotate() {
    var panels = document.querySelectorAll('[data-panel]');
    var i = 0;
    setInterval(function () {
      panels[i].classList.remove('active');
      i = (i + 1) % panels.length;
      panels[i].classList.add('active');
    }, 8000);
  }

  function clock() {
    var el = document.querySelector('[data-clock]');
    var tick = function () { el.textContent = new Date().toLocaleString(document.documentElement.lang || 'zh-CN', { hour12: false }); };
    tick();
    setInterval(tick, 1000);
  }

  clock(); rotate(); connect();
  window.addEventListener('resize', function () { if (trend) { trend.resize(); } });
})();
