// Live order progress on the dashboard and warning pages: polls the same figures the page was rendered with.
(function () {
  'use strict';
  var bars = document.querySelectorAll('.progress[data-alert]');
  if (!bars.length || !window.fetch) return;
  var KEYS = ['sent', 'received', 'executed', 'overdue', 'failed'];
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
  function poll() {
    fetch('/dashboard/progress', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(update)
      .catch(function () { /* next poll retries */ })
      .then(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 1000);
})();
