// The leaders' dashboard: draws the charts with ECharts from
// /dashboard/data/{kind}, each beside the previous period of the same
// length; a click on a bar, slice or cell opens the list behind it.
(function () {
  'use strict';
  var root = document.querySelector('[data-page="dashboard"]');
  if (!root || !window.echarts) { return; }
  var query = root.dataset.query;
  var prevQuery = query.replace(/from=[^&]*/, 'from=' + root.dataset.prevFrom).replace(/to=[^&]*/, 'to=' + root.dataset.prevTo);
  var L = function (k) { return root.getAttribute('data-l-' + k) || k; };
  var channels = ['window', 'online', 'self_service', 'phone'];
  var charts = [];
  var flowChart = null;
  var dashed = { type: 'dashed' };
  // Tooltips are drawn on the canvas (richText): ECharts' HTML tooltips
  // carry style attributes, which the CSP (style-src 'self') refuses.

  function get(kind, params, q) {
    return fetch('/dashboard/data/' + kind + '?' + (q || query) + '&' + params, { credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) { throw new Error(kind + ': ' + r.status); } return r.json(); });
  }
  function chart(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    var c = echarts.init(el);
    charts.push(c);
    return c;
  }
  function go(path, extra) { location.href = path + '?' + query + (extra || ''); }
  function drill(kind, extra) { go('/dashboard/drill', '&kind=' + kind + (extra || '')); }
  function pct(v) { return Math.round(v * 1000) / 10; }
  function prevName(name) { return L('prev_of').replace('%s', name); }
  // rate is a rate in percent, or null for a bucket without cases: a gap,
  // not a misleading 0 %.
  function rate(p) { return Object.keys(p.byChannel || {}).length ? pct(p.value) : null; }
  function fail(id) {
    return function (err) {
      var el = document.getElementById(id);
      if (el) { el.classList.add('failed'); el.textContent = String(err.message || err); }
    };
  }

  function flow(interval) {
    var c = flowChart || (flowChart = chart('chart-flow'));
    var p = 'interval=' + interval;
    Promise.all([get('series', 'metric=received&' + p), get('series', 'metric=accepted&' + p),
      get('series', 'metric=decided&' + p), get('series', 'metric=received&' + p, prevQuery)]).then(function (all) {
      var periods = all[0].map(function (pt) { return pt.period; });
      var series = channels.map(function (ch) {
        return { name: L(ch), type: 'bar', stack: 'in', data: all[0].map(function (pt) { return pt.byChannel[ch] || 0; }) };
      });
      series.push({ name: L('accepted'), type: 'line', data: all[1].map(function (pt) { return pt.value; }) });
      series.push({ name: L('decided'), type: 'line', data: all[2].map(function (pt) { return pt.value; }) });
      series.push({ name: prevName(L('received')), type: 'line', lineStyle: dashed, symbol: 'none', data: all[3].map(function (pt) { return pt.value; }) });
      c.setOption({ tooltip: { renderMode: 'richText', trigger: 'axis' }, legend: { top: 0, type: 'scroll' }, grid: { left: 48, right: 16, top: 40, bottom: 28 },
        xAxis: { type: 'category', data: periods }, yAxis: { type: 'value' }, series: series }, true);
      c.off('click');
      c.on('click', function (e) {
        if (e.seriesIndex > 5) { return; }
        var kind = e.seriesType === 'bar' ? 'received' : (e.seriesIndex === 4 ? 'accepted' : 'decided');
        var from = periods[e.dataIndex], to = bucketEnd(from, interval);
        var extra = e.seriesType === 'bar' ? '&channel=' + channels[e.seriesIndex] : '';
        location.href = '/dashboard/drill?' + query.replace(/from=[^&]*/, 'from=' + from).replace(/to=[^&]*/, 'to=' + to) + '&kind=' + kind + extra;
      });
    }).catch(fail('chart-flow'));
  }
  // bucketEnd is the last day of a day, week (its Monday) or month bucket.
  function bucketEnd(start, interval) {
    if (interval === 'day') { return start; }
    var d = interval === 'month' ? new Date(start + '-01T00:00:00Z') : new Date(start + 'T00:00:00Z');
    if (interval === 'month') { d.setUTCMonth(d.getUTCMonth() + 1); d.setUTCDate(0); } else { d.setUTCDate(d.getUTCDate() + 6); }
    return d.toISOString().slice(0, 10);
  }

  // name and code of a top row; leaders read names, the code is the tooltip's.
  function rowName(r, by) { return by === 'department' ? (r.departmentName || r.department) : (r.itemName || r.item); }
  function rowCode(r, by) { return by === 'department' ? r.department : r.item; }

  function top(id, by) {
    var c = chart(id);
    Promise.all([get('top', 'by=' + by + '&metric=received&limit=10'), get('top', 'by=' + by + '&metric=received', prevQuery)]).then(function (all) {
      var rows = (all[0] || []).slice().reverse(), prev = {};
      (all[1] || []).forEach(function (r) { prev[rowCode(r, by)] = r.received; });
      var names = rows.map(function (r) { return rowName(r, by); });
      var codes = rows.map(function (r) { return rowCode(r, by); });
      c.setOption({ tooltip: { renderMode: 'richText', trigger: 'axis', formatter: function (ps) {
        var i = ps[0].dataIndex;
        return names[i] + '\n' + L('code') + ' ' + codes[i] + ps.map(function (p) { return '\n' + p.seriesName + ' ' + p.value; }).join('');
      } }, legend: { top: 0 }, grid: { left: 8, right: 24, top: 28, bottom: 24, containLabel: true }, xAxis: { type: 'value' },
        yAxis: { type: 'category', data: names, axisLabel: { width: 150, overflow: 'truncate' } },
        series: [{ type: 'bar', name: L('received'), data: rows.map(function (r) { return r.received; }) },
          { type: 'bar', name: prevName(L('received')), itemStyle: { opacity: 0.45 }, data: codes.map(function (k) { return prev[k] || 0; }) }] });
      c.on('click', function (e) { drill('received', '&' + (by === 'department' ? 'dept' : 'item') + '=' + encodeURIComponent(codes[e.dataIndex])); });
    }).catch(fail(id));
  }

  function rates() {
    var c = chart('chart-rates');
    var metrics = ['on_time_promised_rate', 'realization_rate', 'zero_visit_share'];
    var names = [L('ontime'), L('realization'), L('zero')];
    var colors = ['#1f6fd1', '#1a7f37', '#b7791f'];
    var calls = metrics.map(function (m) { return get('series', 'metric=' + m + '&interval=week'); })
      .concat(metrics.map(function (m) { return get('series', 'metric=' + m + '&interval=week', prevQuery); }));
    Promise.all(calls).then(function (all) {
      var weeks = all[0].map(function (p) { return p.period; });
      var series = [];
      metrics.forEach(function (m, i) {
        series.push({ name: names[i], type: 'line', color: colors[i], data: all[i].map(rate) });
        series.push({ name: prevName(names[i]), type: 'line', color: colors[i], lineStyle: dashed, symbol: 'none',
          data: all[i + 3].map(rate) });
      });
      c.setOption({ tooltip: { renderMode: 'richText', trigger: 'axis' }, legend: { top: 0, type: 'scroll' }, grid: { left: 40, right: 16, top: 40, bottom: 28 },
        xAxis: { type: 'category', data: weeks }, yAxis: { type: 'value', max: 100 }, series: series });
      c.on('click', function (e) {
        var from = weeks[e.dataIndex], to = bucketEnd(from, 'week');
        var q = query.replace(/from=[^&]*/, 'from=' + from).replace(/to=[^&]*/, 'to=' + to);
        location.href = '/dashboard/drill?' + q + '&kind=' + (e.seriesIndex < 2 ? 'late' : (e.seriesIndex < 4 ? 'visits' : 'decided'));
      });
    }).catch(fail('chart-rates'));
  }

  function days() {
    var c = chart('chart-days');
    Promise.all([get('top', 'by=item_code&metric=decided&limit=8'), get('top', 'by=item_code&metric=decided', prevQuery)]).then(function (all) {
      var rows = all[0] || [], prev = {};
      var f = function (v, t) { return t ? Math.round(v / t * 10) / 10 : 0; };
      (all[1] || []).forEach(function (r) { prev[r.item] = f(r.daysUsedSum, r.timed); });
      var names = rows.map(function (r) { return rowName(r, 'item'); });
      var codes = rows.map(function (r) { return r.item; });
      c.setOption({ tooltip: { renderMode: 'richText', trigger: 'axis', formatter: function (ps) {
        var i = ps[0].dataIndex;
        return names[i] + '\n' + L('code') + ' ' + codes[i] + ps.map(function (p) { return '\n' + p.seriesName + ' ' + p.value; }).join('');
      } }, legend: { top: 0, type: 'scroll' }, grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: names, axisLabel: { rotate: 30, fontSize: 10, width: 90, overflow: 'truncate', interval: 0 } }, yAxis: { type: 'value' },
        series: [
          { name: L('used'), type: 'bar', data: rows.map(function (r) { return f(r.daysUsedSum, r.timed); }) },
          { name: L('promised'), type: 'bar', data: rows.map(function (r) { return f(r.promisedHalfSum / 2, r.timed); }) },
          { name: L('statutory'), type: 'bar', data: rows.map(function (r) { return f(r.statutoryHalfSum / 2, r.timed); }) },
          { name: prevName(L('used')), type: 'scatter', symbol: 'diamond', symbolSize: 10, data: codes.map(function (k) { return prev[k] || 0; }) }] });
      c.on('click', function (e) { drill('decided', '&item=' + encodeURIComponent(codes[e.dataIndex])); });
    }).catch(fail('chart-days'));
  }

  function ratings() {
    var el = document.getElementById('chart-ratings');
    if (!el) { return; }
    var c = chart('chart-ratings');
    var d = el.dataset;
    var share = function (n, t) { return t > 0 ? pct(n / t) : 0; };
    var cur = [share(+d.satisfied, +d.total), share(d.total - d.satisfied - d.poor, +d.total), share(+d.poor, +d.total)];
    var prev = [share(+d.prevSatisfied, +d.prevTotal), share(d.prevTotal - d.prevSatisfied - d.prevPoor, +d.prevTotal), share(+d.prevPoor, +d.prevTotal)];
    var cats = [el.getAttribute('data-l-satisfied'), el.getAttribute('data-l-fair'), el.getAttribute('data-l-poor')];
    c.setOption({ tooltip: { renderMode: 'richText', trigger: 'axis', valueFormatter: function (v) { return v + '%'; } }, legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: cats }, yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [{ name: L('cur'), type: 'bar', data: cur, label: { show: true, position: 'top', formatter: '{c}%' } },
        { name: L('prev'), type: 'bar', itemStyle: { opacity: 0.45 }, data: prev }] });
    c.on('click', function (e) { go('/dashboard/ratings', e.dataIndex === 2 ? '&poor=1' : ''); });
  }

  function hall() {
    var c = chart('chart-hall');
    if (!c) { return; }
    get('hall', 'hall=' + encodeURIComponent(root.dataset.hall)).then(function (h) {
      var ds = h.current.days;
      var dates = ds.map(function (g) { return g.key; });
      var keys = [['wait_mean', 'wait', 'mean'], ['wait_p90', 'wait', 'p90'], ['service_mean', 'service', 'mean'], ['service_p90', 'service', 'p90']];
      c.setOption({ tooltip: { renderMode: 'richText', trigger: 'axis' }, legend: { top: 0, type: 'scroll' }, grid: { left: 40, right: 16, top: 40, bottom: 28 },
        xAxis: { type: 'category', data: dates }, yAxis: { type: 'value', name: L('minutes') },
        series: keys.map(function (k) {
          return { name: L(k[0]), type: 'line', connectNulls: true, lineStyle: k[2] === 'p90' ? dashed : undefined,
            data: ds.map(function (g) { return g.tickets ? g[k[1]][k[2]] : null; }) };
        }) });
      c.on('click', function (e) { go('/dashboard/tickets', '&hall=' + encodeURIComponent(root.dataset.hall) + '&day=' + dates[e.dataIndex]); });
      var t = h.current.total, p = h.previous;
      var tpl = document.querySelector('[data-testid="hall-total"]');
      if (tpl) {
        tpl.textContent = fmt(L('hall_total'), [t.wait.mean, p.wait.mean, t.service.mean, p.service.mean, t.tickets, p.tickets]);
      }
    }).catch(fail('chart-hall'));
  }
  function fmt(tpl, args) { var i = 0; return tpl.replace(/%[sd]/g, function () { return String(args[i++]); }); }

  function heat() {
    var c = chart('chart-heat');
    get('heatmap', 'metric=received').then(function (h) {
      var data = [];
      h.cells.forEach(function (row, wd) { row.forEach(function (v, hour) { if (hour >= 7 && hour <= 19) { data.push([hour - 7, wd, v]); } }); });
      var hours = []; for (var i = 7; i <= 19; i++) { hours.push(i + ':00'); }
      c.setOption({ tooltip: { renderMode: 'richText', position: 'top' }, grid: { left: 48, right: 72, top: 8, bottom: 28 },
        xAxis: { type: 'category', data: hours, splitArea: { show: true } },
        yAxis: { type: 'category', data: L('weekdays').split(','), inverse: true, splitArea: { show: true } },
        visualMap: { min: 0, max: Math.max(1, h.max), calculable: true, orient: 'vertical', right: 0, top: 'middle', itemHeight: 160 },
        series: [{ type: 'heatmap', data: data, label: { show: false }, emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } } }] });
      // The hourly roll-ups have no department, item or channel: the map
      // is the whole center's, and so is the list behind a cell.
      var center = query.split('&').filter(function (p) { return !/^(dept|item|channel)=/.test(p); }).join('&');
      c.on('click', function (e) {
        if (!e.value) { return; }
        location.href = '/dashboard/drill?' + center + '&kind=received&weekday=' + e.value[1] + '&hour=' + (e.value[0] + 7);
      });
    }).catch(fail('chart-heat'));
  }

  // The period presets fill in the form and submit it.
  root.querySelectorAll('.presets button').forEach(function (b) {
    b.addEventListener('click', function () {
      var form = b.closest('form');
      var to = new Date(form.elements.to.value + 'T00:00:00Z');
      var from = new Date(to.getTime() - (Number(b.dataset.days) - 1) * 86400000);
      form.elements.from.value = from.toISOString().slice(0, 10);
      form.submit();
    });
  });
  var sel = root.querySelector('select.interval');
  if (sel) { sel.addEventListener('change', function () { flow(sel.value); }); }

  flow('day'); top('chart-items', 'item_code'); top('chart-depts', 'department'); rates(); days(); ratings(); hall(); heat();
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();
