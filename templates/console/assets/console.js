// Live order progress on the dashboard and warning pages: polls the same figures the page was rendered with.
(function () {
  'use strict';
  var bars = document.querySelectorAll('.progress[data-alert]');
  if (!bars.length || !window.fetch) return;
  var KEYS = ['sent', 'received', 'executed', 'overdue', 'failed'];
  var EXPIRED = {};
  function update(items) {
    items.forEach(function (item) {
      document.querySelectorAll('.progress[data-alert="' + item.id + '"]').forEach(function (el) {
        var p = item.progress;
        KEYS.forEach(function (k, i) {
          var row = el.querySelectorAll('.bar-row')[i];
          if (!row) return;
          row.querySelector('.fill').style.width = p.pct[k] + '%';
          var num = row.querySelector('.bar-num');
          num.textContent = i < 3 ? p[k] + '/' + p.total : String(p[k]);
        });
        el.setAttribute('data-updated', String(Date.now()));
      });
    });
  }
  // The session ended (expired, or signed out elsewhere): the poll answers 401 and the figures would freeze,
  // so say so, once, with a way back to this page after signing in, and stop polling.
  function showExpired() {
    if (document.getElementById('session-expired')) return;
    var box = document.createElement('p');
    box.id = 'session-expired';
    box.className = 'error-box';
    box.setAttribute('role', 'alert');
    box.appendChild(document.createTextNode('登录已过期，请重新登录：'));
    var link = document.createElement('a');
    link.id = 'session-expired-login';
    link.href = '/login?next=' + encodeURIComponent(location.pathname + location.search);
    link.textContent = '重新登录';
    box.appendChild(link);
    var main = document.querySelector('main') || document.body;
    main.insertBefore(box, main.firstChild);
    bars.forEach(function (el) { el.setAttribute('data-stale', 'true'); });
  }
  function poll() {
    fetch('/dashboard/progress', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) {
        if (r.status === 401) return EXPIRED;
        return r.ok ? r.json() : [];
      })
      .then(function (result) {
        if (result === EXPIRED) {
          showExpired();
          return EXPIRED;
        }
        update(result);
      })
      .catch(function () { /* next poll retries */ })
      .then(function (result) {
        if (result !== EXPIRED) setTimeout(poll, 2000);
      });
  }
  setTimeout(poll, 1000);
})();

// The county map: hovering, focusing or a first tap says the county's warning and progress on the info line; a
// second tap (or a click with a mouse) follows the link to its warning.
(function () {
  'use strict';
  document.querySelectorAll('.county-map').forEach(function (map) {
    var info = map.querySelector('.map-info');
    var shapes = map.querySelectorAll('.county-shape');
    function show(shape) {
      shapes.forEach(function (s) { s.classList.toggle('selected', s === shape); });
      var progress = shape.getAttribute('data-progress');
      info.textContent = shape.getAttribute('data-summary') + (progress ? '。' + progress : '');
      info.setAttribute('data-county', shape.getAttribute('data-county'));
    }
    shapes.forEach(function (shape) {
      var touched = false;
      shape.addEventListener('mouseenter', function () { show(shape); });
      // A tap focuses before it clicks: let the click decide, so the first tap only shows.
      shape.addEventListener('focus', function () { if (!touched) show(shape); });
      shape.addEventListener('pointerdown', function (e) { touched = e.pointerType === 'touch'; });
      shape.addEventListener('click', function (e) {
        if (touched && !shape.classList.contains('selected')) {
          e.preventDefault();
          show(shape);
        }
        touched = false;
      });
    });
  });
})();

// Forms that change many things at once ask first: data-confirm holds the question (no inline script under the CSP).
(function () {
  'use strict';
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      if (!window.confirm(form.getAttribute('data-confirm'))) e.preventDefault();
    });
  });
})();
