// onevisit — the self-service kiosk: clock, an on-screen keypad for the ID
// number (touch screens have no keyboard), the print button of a ticket and
// the way back to the start page after a while.
(function () {
  'use strict';
  function tick() { // Beijing time, whatever zone the kiosk's computer is set to
    var t = new Date().toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, hour: '2-digit', minute: '2-digit' });
    document.querySelectorAll('[data-clock]').forEach(function (c) { c.textContent = t; });
  }
  tick();
  setInterval(tick, 10000);

  var input = document.querySelector('[data-id-input]');
  document.querySelectorAll('[data-key]').forEach(function (b) {
    b.addEventListener('click', function () {
      var k = b.getAttribute('data-key');
      if (k === '⌫') {
        input.value = input.value.slice(0, -1);
      } else if (input.value.length < 18) {
        input.value += k;
      }
      input.focus();
    });
  });

  var print = document.querySelector('[data-print]');
  if (print) { print.addEventListener('click', function () { window.print(); }); }

  // A kiosk goes back to its start page so the next visitor finds it ready.
  var body = document.body;
  var back = body.getAttribute('data-return');
  var after = parseInt(body.getAttribute('data-return-after'), 10);
  if (back && after > 0) {
    setTimeout(function () { window.location.assign(back); }, after * 1000);
  }
}());
