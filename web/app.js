// safeval web UI: live numbers (docs/web-ui.md). The only script of the browsing pages; the
// server's Content-Security-Policy allows no inline script, so behaviour hangs off data-
// attributes:
//   data-live-url="/api/..."     refresh this element every 2 s from that JSON endpoint: every
//                                descendant with data-field="name" gets the text of json.name
//                                (null -> "–", fractions with 3 decimals);
//   data-live-while="field=value" poll only while json.field is value (a run's progress stops
//                                when the run is no longer running, and the page reloads once
//                                to show the final report).
'use strict';

(function () {
  const PERIOD_MS = 2000;

  function format(value) {
    if (value === null || value === undefined) return '\u2013';
    if (typeof value === 'number' && !Number.isInteger(value)) return value.toFixed(3);
    return String(value);
  }

  function parseCondition(text) {
    if (!text || text.indexOf('=') < 0) return null;
    const at = text.indexOf('=');
    return { field: text.slice(0, at), value: text.slice(at + 1) };
  }

  function update(element, json) {
    element.querySelectorAll('[data-field]').forEach(function (node) {
      const name = node.getAttribute('data-field');
      if (Object.prototype.hasOwnProperty.call(json, name)) node.textContent = format(json[name]);
    });
  }

  function watch(element) {
    const url = element.getAttribute('data-live-url');
    const condition = parseCondition(element.getAttribute('data-live-while'));
    if (condition) {
      // Nothing to follow when the page was rendered after the condition ended.
      const node = element.querySelector('[data-field="' + condition.field + '"]');
      if (node && node.textContent.trim() !== condition.value) return;
    }
    function tick() {
      fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store',
                   credentials: 'same-origin' })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (json) {
          if (json) {
            update(element, json);
            if (condition && String(json[condition.field]) !== condition.value) {
              window.location.reload();
              return;
            }
          }
          window.setTimeout(tick, PERIOD_MS);
        })
        .catch(function () { window.setTimeout(tick, PERIOD_MS); });
    }
    window.setTimeout(tick, PERIOD_MS);
  }

  function start() {
    document.querySelectorAll('[data-live-url]').forEach(watch);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
