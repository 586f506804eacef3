// onevisit — live hall pages: the hall screen, a window screen and a
// ticket's follow page. Each listens to /api/v1/halls/{hall}/events
// (server-sent events; EventSource reconnects by itself and resumes with
// Last-Event-ID) and re-reads the board or the ticket when something happens.
// The hall screen speaks each call in Chinese through speech synthesis; the
// last text spoken is kept in window.__lastSpoken and body[data-last-spoken].
(function () {
  'use strict';
  var page = document.querySelector('[data-page]');
  if (!page) { return; }
  var kind = page.getAttribute('data-page');
  var hall = page.getAttribute('data-hall');
  var api = '/api/v1/halls/' + encodeURIComponent(hall);

  function fmt(s, v) { return String(s || '').replace(/%d|%s/, v); }
  function $(sel) { return document.querySelector(sel); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }

  // --- the clock ---
  // The hall keeps Beijing time, whatever zone the screen's computer is set to.
  function tick() {
    var t = new Date().toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
    document.querySelectorAll('[data-clock]').forEach(function (c) { c.textContent = t; });
  }
  tick();
  setInterval(tick, 1000);

  var fs = $('[data-fullscreen]');
  if (fs) {
    fs.addEventListener('click', function () {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { document.documentElement.requestFullscreen(); }
    });
  }

  // --- speech ---
  function record(text) {
    window.__lastSpoken = text;
    document.body.setAttribute('data-last-spoken', text);
  }
  var synth = window.speechSynthesis;
  if (synth && synth.speak) {
    var speak = synth.speak.bind(synth);
    synth.speak = function (u) { record(u.text); speak(u); };
  }
  var voiceKey = 'onevisit.voice.' + hall;
  function voiceOn() {
    var saved = localStorage.getItem(voiceKey);
    if (saved !== null) { return saved === '1'; }
    return page.getAttribute('data-voice') === '1';
  }
  function say(text) {
    if (!text || !voiceOn()) { return; }
    var n = parseInt(page.getAttribute('data-repeat'), 10) || 1;
    for (var i = 0; i < n; i++) {
      if (synth && window.SpeechSynthesisUtterance) {
        var u = new SpeechSynthesisUtterance(text);
        u.lang = 'zh-CN';
        u.rate = 0.85;
        synth.speak(u);
      } else {
        record(text);
      }
    }
  }
  var vt = $('[data-voice-toggle]');
  function showVoice() {
    if (vt) { vt.textContent = page.getAttribute(voiceOn() ? 'data-voice-on' : 'data-voice-off'); }
  }
  if (vt) {
    vt.addEventListener('click', function () {
      localStorage.setItem(voiceKey, voiceOn() ? '0' : '1');
      showVoice();
    });
    showVoice();
  }

  // --- the hall screen ---
  function showCall(ev) {
    var card = $('[data-testid=current-call]');
    $('[data-call-no]').textContent = ev.ticket;
    $('[data-call-window]').textContent = fmt(page.getAttribute('data-fmt-go'), ev.window);
    card.classList.remove('flash');
    void card.offsetWidth; // restart the animation
    card.classList.add('flash');
  }

  function renderBoard(b) {
    var winFmt = page.getAttribute('data-fmt-window');
    var recent = $('[data-recent]');
    recent.replaceChildren.apply(recent, (b.recent || []).map(function (t) {
      var li = el('li');
      li.append(el('b', t.no), el('span', fmt(winFmt, t.window)));
      return li;
    }));
    document.querySelectorAll('[data-waiting] tr[data-zone]').forEach(function (tr) {
      tr.querySelector('[data-count]').textContent = (b.waiting && b.waiting[tr.getAttribute('data-zone')]) || 0;
    });
    var serving = $('[data-serving]');
    serving.replaceChildren.apply(serving, (b.hall.windows || []).filter(function (w) { return w.ticket; }).map(function (w) {
      var li = el('li');
      li.setAttribute('data-window', w.number);
      li.append(el('span', fmt(page.getAttribute('data-fmt-short'), w.number)), el('b', w.ticket));
      return li;
    }));
    var notice = $('[data-notice]');
    if (notice.textContent !== b.hall.notice) { notice.textContent = b.hall.notice; }
  }

  // --- a window screen ---
  function renderWindow(b) {
    var n = parseInt(page.getAttribute('data-window'), 10);
    var w = (b.hall.windows || []).filter(function (x) { return x.number === n; })[0];
    if (!w) { return; }
    var t = $('[data-window-ticket]');
    t.setAttribute('data-state', w.state);
    t.classList.toggle('idle', w.state === 'open' && !w.ticket);
    t.textContent = w.state !== 'open' ? page.getAttribute('data-paused') : (w.ticket || page.getAttribute('data-idle'));
    $('[data-window-clerk]').textContent = w.clerk || '';
  }

  // --- a ticket's follow page ---
  function renderTicket(t) {
    var st = $('[data-ticket-status]');
    var text = page.getAttribute('data-status-' + t.status) || t.status;
    if (t.status === 'called') { text += ' · ' + fmt(page.getAttribute('data-fmt-go'), t.window); }
    st.textContent = text;
    st.setAttribute('data-status', t.status);
    $('[data-ticket-ahead]').textContent = t.status === 'waiting' ? fmt(page.getAttribute('data-fmt-ahead'), t.ahead) : '';
    if (t.status === 'called' && navigator.vibrate) { navigator.vibrate([300, 200, 300]); }
  }

  var pending = null;
  function refresh() {
    if (pending) { return; }
    pending = setTimeout(function () {
      pending = null;
      var url = kind === 'ticket' ? '/api/v1/tickets/' + encodeURIComponent(page.getAttribute('data-ticket')) : api;
      fetch(url, { headers: { Accept: 'application/json' } }).then(function (r) { return r.ok ? r.json() : null; }).then(function (d) {
        if (!d) { return; }
        if (kind === 'hall-screen') { renderBoard(d); }
        if (kind === 'window-screen') { renderWindow(d); }
        if (kind === 'ticket') { renderTicket(d); }
      }).catch(function () {});
    }, 150);
  }

  function onEvent(ev) {
    var called = ev.kind === 'call' || ev.kind === 'recall';
    if (kind === 'hall-screen' && called) {
      showCall(ev);
      say(ev.speech);
    }
    if (kind === 'window-screen' && ev.window && ev.window !== parseInt(page.getAttribute('data-window'), 10)) {
      return;
    }
    refresh();
  }

  var es = new EventSource(api + '/events');
  es.onmessage = function (m) {
    try { onEvent(JSON.parse(m.data)); } catch (e) { /* a malformed event is skipped */ }
  };
  es.onopen = function () {
    document.body.setAttribute('data-live', '1');
    refresh(); // after a reconnect the board may have moved on
  };
  es.onerror = function () { document.body.setAttribute('data-live', '0'); };
  if (kind === 'ticket') { setInterval(refresh, 30000); }
}());
