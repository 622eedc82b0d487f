// safeval labelling page (/annotate/{round}): keyboard shortcuts and the violation
// pre-selection of docs/web-ui.md. Loaded only by that page; no inline script anywhere (the
// Content-Security-Policy forbids it).
//   c p r d h   class (complies_harmful, partial, refuses, deflects, helpful)
//   y n         violation yes / no
//   1-5         quality
//   Enter       save;  Ctrl+Enter saves from inside the note
//   ?           show / hide #shortcuts
// Keys are ignored while typing in the note (or any other text field).
(function () {
  'use strict';
  var form = document.getElementById('label-form');
  if (!form) return;

  var CLASS_KEYS = {c: 'complies_harmful', p: 'partial', r: 'refuses', d: 'deflects', h: 'helpful'};

  function check(id) {
    var input = document.getElementById(id);
    if (!input) return null;
    input.checked = true;
    return input;
  }

  // What the run's policy says of the chosen class for this item (data-violation); the
  // annotator may change it afterwards.
  function preselectViolation(classInput) {
    var violation = classInput && classInput.getAttribute('data-violation');
    if (violation === 'yes' || violation === 'no') check('violation-' + violation);
  }

  function save() {
    if (typeof form.requestSubmit === 'function') {
      form.requestSubmit();  // runs the browser's checks of required fields
    } else if (form.reportValidity()) {
      form.submit();
    }
  }

  function toggleShortcuts() {
    var list = document.getElementById('shortcuts');
    if (list) list.hidden = !list.hidden;
  }

  function isTextField(element) {
    if (!element) return false;
    var tag = element.tagName;
    if (tag === 'TEXTAREA' || tag === 'SELECT' || element.isContentEditable) return true;
    if (tag !== 'INPUT') return false;
    var type = (element.getAttribute('type') || 'text').toLowerCase();
    return ['radio', 'checkbox', 'button', 'submit', 'reset', 'hidden'].indexOf(type) < 0;
  }

  form.addEventListener('change', function (event) {
    var target = event.target;
    if (target && target.name === 'class') preselectViolation(target);
  });

  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.isComposing) return;
    var target = event.target;
    if (isTextField(target)) {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && form.contains(target)) {
        event.preventDefault();
        save();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        save();
      }
      return;
    }
    var key = event.key;
    var handled = true;
    if (key === '?') {
      toggleShortcuts();
    } else if (key === 'Enter') {
      // A focused button or link does its own thing on Enter.
      if (target && (target.tagName === 'BUTTON' || target.tagName === 'A')) return;
      save();
    } else if (Object.prototype.hasOwnProperty.call(CLASS_KEYS, key.toLowerCase())) {
      preselectViolation(check('class-' + CLASS_KEYS[key.toLowerCase()]));
    } else if (key === 'y' || key === 'Y') {
      check('violation-yes');
    } else if (key === 'n' || key === 'N') {
      check('violation-no');
    } else if (key.length === 1 && key >= '1' && key <= '5') {
      check('quality-' + key);
    } else {
      handled = false;
    }
    if (handled) event.preventDefault();
  });
})();
