// The consultation form (/consultations/new): the recommended level per county shown while the grid is typed, and
// a table pasted straight into an AQI cell. Both ask the server, so the rules stay in one place: the level comes
// from POST /api/consultations/recommendation (the rule that runs on submit), the paste from /consultations/paste.
(function () {
  'use strict';
  var form = document.getElementById('consultation-form');
  var grid = document.getElementById('forecast-grid');
  if (!form || !grid || !window.fetch) return;
  var levelNames = JSON.parse(grid.getAttribute('data-level-names') || '{}');
  var responseNames = JSON.parse(grid.getAttribute('data-response-names') || '{}');
  var status = document.getElementById('live-rec-status');
  var rows = Array.prototype.slice.call(grid.querySelectorAll('tr[data-county]'));
  var sequence = 0;
  var timer = null;

  function field(name) {
    var el = form.elements.namedItem(name);
    return el && typeof el.value === 'string' ? el.value.trim() : '';
  }
  // A datetime-local value is Beijing time; the API wants an offset.
  function shanghai(local) {
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? local + ':00+08:00' : local;
  }
  function countyName(code) {
    var th = grid.querySelector('tr[data-county="' + code + '"] th');
    return th ? th.textContent : code;
  }

  // The filled cells as the API's forecasts (as the form posts them), each with the input it came from.
  function collect() {
    var dates = {};
    form.querySelectorAll('input[type=date][name^="date."]').forEach(function (el) {
      dates[el.name.slice(5)] = el.value;
    });
    var forecasts = [];
    var inputs = [];
    form.querySelectorAll('input.aqi').forEach(function (el) {
      var v = el.value.trim();
      if (v === '') return;
      var parts = el.name.split('.');
      var pollutant = form.elements.namedItem('pollutant.' + parts[1] + '.' + parts[2]);
      forecasts.push({
        countyCode: parts[1],
        date: dates[parts[2]] || '',
        aqi: /^\d+$/.test(v) ? Number(v) : v,
        primaryPollutant: pollutant ? pollutant.value : 'PM2.5',
      });
      inputs.push(el);
    });
    var body = { forecasts: forecasts };
    if (field('heldAt')) body.heldAt = shanghai(field('heldAt'));
    var counties = Array.prototype.map.call(
      form.querySelectorAll('input[name=directiveCounties]:checked'),
      function (el) { return el.value; },
    );
    // A directive counts once it is complete enough to bind; half filled, it would only be reported as an error.
    if (field('directiveKind') && field('directiveNumber') && field('directiveFrom') && counties.length) {
      body.directive = {
        kind: field('directiveKind'),
        number: field('directiveNumber'),
        level: field('directiveLevel'),
        countyCodes: counties,
        from: shanghai(field('directiveFrom')),
      };
      if (field('directiveTo')) body.directive.to = shanghai(field('directiveTo'));
    }
    return { body: body, inputs: inputs };
  }

  function show(td, rec) {
    td.textContent = '';
    td.classList.remove('stale');
    td.removeAttribute('title');
    td.setAttribute('data-level', rec && rec.level ? rec.level : '');
    td.setAttribute('data-response', rec && rec.response ? rec.response : '');
    if (!rec) {
      td.textContent = '—';
      return;
    }
    var span = document.createElement('span');
    if (rec.level) {
      span.className = 'level level-' + rec.level;
      span.textContent = levelNames[rec.level] || rec.level;
    } else if (rec.response) {
      span.className = 'response-tag';
      span.textContent = responseNames[rec.response] || rec.response;
    } else {
      span.className = 'muted';
      span.textContent = '不启动';
    }
    td.appendChild(span);
    td.title = rec.reason;
  }
  function cellOf(code) {
    return document.getElementById('rec-' + code);
  }
  function clearMarks() {
    form.querySelectorAll('.live-error').forEach(function (el) { el.classList.remove('live-error'); });
  }
  function stale(message) {
    rows.forEach(function (tr) { cellOf(tr.getAttribute('data-county')).classList.add('stale'); });
    status.textContent = message;
    status.classList.add('warn');
  }

  function recommend() {
    var sent = collect();
    var mine = ++sequence;
    if (!sent.body.forecasts.length) {
      clearMarks();
      rows.forEach(function (tr) { show(cellOf(tr.getAttribute('data-county')), null); });
      status.classList.remove('warn');
      status.textContent = '录入预报后将自动计算建议级别。';
      return;
    }
    status.setAttribute('data-state', 'pending');
    fetch('/api/consultations/recommendation', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(sent.body),
    })
      .then(function (r) {
        return r.json().then(function (json) { return { status: r.status, json: json }; }, function () {
          return { status: r.status, json: null };
        });
      })
      .then(function (res) {
        if (mine !== sequence) return; // a later edit's answer is on its way
        clearMarks();
        if (res.status === 200) {
          var byCounty = {};
          res.json.recommendations.forEach(function (rec) { byCounty[rec.countyCode] = rec; });
          rows.forEach(function (tr) {
            var code = tr.getAttribute('data-county');
            show(cellOf(code), byCounty[code] || null);
          });
          status.classList.remove('warn');
          status.textContent = '建议级别按规则集 ' + res.json.rulesetId + ' 计算(与提交时同一规则),提交前不保存。';
        } else if (res.status === 401) {
          stale('登录已过期,建议级别暂停更新;请重新登录后再提交。');
        } else if (res.json && res.json.error && res.json.error.fields) {
          var lines = res.json.error.fields.slice(0, 3).map(function (f) {
            var m = /^forecasts\[(\d+)\]/.exec(f.field);
            var input = m ? sent.inputs[Number(m[1])] : null;
            if (!input) return f.message;
            input.parentNode.classList.add('live-error');
            var forecast = sent.body.forecasts[Number(m[1])];
            return countyName(forecast.countyCode) + ' ' + forecast.date + ':' + f.message;
          });
          stale('预报有误,建议级别暂停更新:' + lines.join(';'));
        } else {
          stale('暂时无法计算建议级别' + (res.json && res.json.error ? ':' + res.json.error.message : ''));
        }
        status.setAttribute('data-state', 'done');
      })
      .catch(function () {
        if (mine === sequence) stale('暂时无法计算建议级别,请检查网络。');
      });
  }
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(recommend, 300);
  }
  form.addEventListener('input', function (e) {
    if (e.target && e.target.id !== 'paste-text') schedule();
  });
  form.addEventListener('change', function (e) {
    if (e.target && e.target.id !== 'paste-text') schedule();
  });

  // A block of cells pasted into an AQI cell goes to the paste route, landing at that cell; one value pastes as usual.
  form.addEventListener('paste', function (e) {
    var el = e.target;
    if (!el || !el.classList || !el.classList.contains('aqi') || !e.clipboardData) return;
    var text = e.clipboardData.getData('text/plain');
    if (!/[\t\r\n]/.test(text.replace(/\s+$/, ''))) return;
    e.preventDefault();
    var tr = el.closest('tr[data-county]');
    document.getElementById('paste-text').value = text;
    document.getElementById('paste-at').value = rows.indexOf(tr) + '.' + el.name.split('.')[2];
    var button = document.getElementById('paste-fill');
    if (form.requestSubmit) form.requestSubmit(button);
    else button.click();
  });

  if (collect().body.forecasts.length) recommend();
})();
