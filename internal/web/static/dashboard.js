// The leaders' dashboard: draws the charts with ECharts from
// /dashboard/data/{kind}; a click on a bar or cell opens the drill-down.
(function () {
  'use strict';
  var root = document.querySelector('[data-page="dashboard"]');
  if (!root || !window.echarts) { return; }
  var query = root.dataset.query;
  var L = function (k) { return root.dataset['l-' + k] || root.getAttribute('data-l-' + k) || k; };
  var channels = ['window', 'online', 'self_service', 'phone'];
  var charts = [];

  function get(kind, params) {
    return fetch('/dashboard/data/' + kind + '?' + query + '&' + params, { credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) { throw new Error(kind + ': ' + r.status); } return r.json(); });
  }
  function chart(id) {
    var el = document.getElementById(id);
    var c = echarts.init(el);
    charts.push(c);
    return c;
  }
  function drill(kind, extra) {
    location.href = '/dashboard/drill?' + query + '&kind=' + kind + (extra || '');
  }
  function pct(v) { return Math.round(v * 1000) / 10; }

  function flow() {
    var c = chart('chart-flow');
    Promise.all([get('series', 'metric=received&interval=day'), get('series', 'metric=accepted&interval=day'),
      get('series', 'metric=decided&interval=day')]).then(function (all) {
      var days = all[0].map(function (p) { return p.period; });
      var series = channels.map(function (ch) {
        return { name: L(ch), type: 'bar', stack: 'in', data: all[0].map(function (p) { return p.byChannel[ch] || 0; }) };
      });
      series.push({ name: L('accepted'), type: 'line', data: all[1].map(function (p) { return p.value; }) });
      series.push({ name: L('decided'), type: 'line', data: all[2].map(function (p) { return p.value; }) });
      c.setOption({ tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 40, right: 16, top: 36, bottom: 28 },
        xAxis: { type: 'category', data: days }, yAxis: { type: 'value' }, series: series });
      c.on('click', function (e) {
        var kind = e.seriesType === 'bar' ? 'received' : (e.seriesIndex === 4 ? 'accepted' : 'decided');
        var day = days[e.dataIndex];
        location.href = '/dashboard/drill?' + query.replace(/from=[^&]*/, 'from=' + day).replace(/to=[^&]*/, 'to=' + day) + '&kind=' + kind;
      });
    }).catch(console.warn);
  }

  function top(id, by) {
    var c = chart(id);
    get('top', 'by=' + by + '&metric=received&limit=10').then(function (rows) {
      rows = (rows || []).slice().reverse();
      var keys = rows.map(function (r) { return by === 'department' ? r.department : r.item; });
      c.setOption({ tooltip: {}, grid: { left: 110, right: 16, top: 8, bottom: 24 }, xAxis: { type: 'value' },
        yAxis: { type: 'category', data: keys, axisLabel: { width: 100, overflow: 'truncate' } },
        series: [{ type: 'bar', name: L('received'), data: rows.map(function (r) { return r.received; }) }] });
      c.on('click', function (e) { drill('received', '&' + (by === 'department' ? 'dept' : 'item') + '=' + encodeURIComponent(keys[e.dataIndex])); });
    }).catch(console.warn);
  }

  function rates() {
    var c = chart('chart-rates');
    Promise.all([get('series', 'metric=on_time_promised_rate&interval=week'), get('series', 'metric=realization_rate&interval=week'),
      get('series', 'metric=zero_visit_share&interval=week')]).then(function (all) {
      c.setOption({ tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 40, right: 16, top: 36, bottom: 28 },
        xAxis: { type: 'category', data: all[0].map(function (p) { return p.period; }) }, yAxis: { type: 'value', max: 100 },
        series: [L('ontime'), L('realization'), '0'].map(function (name, i) {
          return { name: i === 2 ? document.querySelector('[data-testid="card-stats.zero_visit"] .k').textContent : name,
            type: 'line', data: all[i].map(function (p) { return pct(p.value); }) };
        }) });
      c.on('click', function (e) { drill(e.seriesIndex === 0 ? 'late' : 'visits'); });
    }).catch(console.warn);
  }

  function days() {
    var c = chart('chart-days');
    get('top', 'by=item_code&metric=decided&limit=8').then(function (rows) {
      var items = rows.map(function (r) { return r.item; });
      var f = function (v, t) { return t ? Math.round(v / t * 10) / 10 : 0; };
      c.setOption({ tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 40, right: 16, top: 36, bottom: 48 },
        xAxis: { type: 'category', data: items, axisLabel: { rotate: 30, fontSize: 10 } }, yAxis: { type: 'value' },
        series: [
          { name: L('used'), type: 'bar', data: rows.map(function (r) { return f(r.daysUsedSum, r.timed); }) },
          { name: L('promised'), type: 'bar', data: rows.map(function (r) { return f(r.promisedHalfSum / 2, r.timed); }) },
          { name: L('statutory'), type: 'bar', data: rows.map(function (r) { return f(r.statutoryHalfSum / 2, r.timed); }) }] });
      c.on('click', function (e) { drill('decided', '&item=' + encodeURIComponent(items[e.dataIndex])); });
    }).catch(console.warn);
  }

  function heat() {
    var c = chart('chart-heat');
    get('heatmap', 'metric=received').then(function (h) {
      var data = [];
      h.cells.forEach(function (row, wd) { row.forEach(function (v, hour) { if (hour >= 7 && hour <= 19) { data.push([hour - 7, wd, v]); } }); });
      var hours = []; for (var i = 7; i <= 19; i++) { hours.push(i + ':00'); }
      c.setOption({ tooltip: {}, grid: { left: 40, right: 16, top: 8, bottom: 60 },
        xAxis: { type: 'category', data: hours }, yAxis: { type: 'category', data: L('weekdays').split(','), inverse: true },
        visualMap: { min: 0, max: Math.max(1, h.max), calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120 },
        series: [{ type: 'heatmap', data: data, label: { show: false } }] });
      c.on('click', function () { drill('received'); });
    }).catch(console.warn);
  }

  flow(); top('chart-items', 'item_code'); top('chart-depts', 'department'); rates(); days(); heat();
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();
