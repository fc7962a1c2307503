// The plan editor: each measure shows only the parameter inputs its action takes; measures are added and
// removed in place. Without this script every input shows and the server reads only those the action needs.
(function () {
  'use strict';
  var form = document.getElementById('plan-form');
  if (!form) return;
  var rows = document.getElementById('plan-rows');
  var count = document.getElementById('plan-row-count');
  var template = document.getElementById('plan-row-template');
  var addButton = document.getElementById('add-measure');

  function showParams(row) {
    var select = row.querySelector('.measure-action');
    var action = select ? select.value : '';
    row.querySelectorAll('.measure-param').forEach(function (label) {
      var wanted = (label.getAttribute('data-actions') || '').split(' ').indexOf(action) >= 0;
      label.hidden = !wanted;
    });
  }

  // 第N条措施 over the measures on the page, in order (the server counts them the same way).
  function renumber() {
    rows.querySelectorAll('.measure-row').forEach(function (row, i) {
      row.querySelector('.measure-number').textContent = '第' + (i + 1) + '条措施';
    });
  }

  function wire(row) {
    showParams(row);
    var select = row.querySelector('.measure-action');
    if (select) select.addEventListener('change', function () { showParams(row); });
    // With the script a measure is removed at once; the checkbox is for pages without it.
    var check = row.querySelector('.remove-check');
    if (check) check.hidden = true;
    var remove = row.querySelector('.remove-measure');
    if (remove) {
      remove.hidden = false;
      remove.addEventListener('click', function () {
        row.parentNode.removeChild(row);
        renumber();
      });
    }
  }

  rows.querySelectorAll('.measure-row').forEach(wire);

  if (template && addButton && count) {
    addButton.hidden = false;
    addButton.addEventListener('click', function () {
      var index = Number(count.value) || 0;
      var holder = document.createElement('div');
      holder.innerHTML = template.innerHTML.replace(/__i__/g, String(index));
      var row = holder.querySelector('.measure-row');
      row.setAttribute('data-row', String(index));
      rows.appendChild(row);
      count.value = String(index + 1);
      wire(row);
      renumber();
      var first = row.querySelector('select');
      if (first) first.focus();
    });
  }
})();
