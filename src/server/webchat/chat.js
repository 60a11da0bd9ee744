// Puente web chat. Plain browser JavaScript (ES2015, no build step). Bot text is only ever set with
// textContent. The conversation lives in memory; localStorage holds nothing but an anonymous id.
(function () {
  'use strict';

  // The page's own words come from locales/<lang>/webchat.yaml, put in the page by the server.
  var UI = JSON.parse(document.body.getAttribute('data-texts') || '{}');
  var USER_KEY = 'puente.user';
  var TIMEOUT_MS = 30000;

  function $(id) { return document.getElementById(id); }
  var scroller = $('scroll'), log = $('log'), form = $('composer'), input = $('input'), sendButton = $('send');
  var locate = $('locate'), errorBox = $('error'), errorText = $('error-text'), retry = $('retry');

  var lang = pickLanguage();
  var t = UI[lang];
  var userId = loadUserId();
  var busy = false;
  var currentChoices = null; // the choice buttons of the latest bot message, if any
  var typing = null;
  var retryAction = null;

  function pickLanguage() {
    var wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''];
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i]).slice(0, 2).toLowerCase();
      if (code === 'fr') code = 'ht'; // Haitian phones are often set to French
      if (UI[code]) return code;
    }
    return 'es';
  }

  function randomId() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === 'function') {
      try { return c.randomUUID(); } catch (e) { /* not a secure context: fall through */ }
    }
    var hex = '';
    if (c && typeof c.getRandomValues === 'function') {
      var bytes = c.getRandomValues(new Uint8Array(16));
      for (var i = 0; i < bytes.length; i++) hex += (bytes[i] + 256).toString(16).slice(1);
      return hex;
    }
    while (hex.length < 32) hex += Math.random().toString(16).slice(2);
    return hex.slice(0, 32) + Date.now().toString(16);
  }

  function loadUserId() {
    try {
      var saved = localStorage.getItem(USER_KEY);
      if (saved && /^[A-Za-z0-9-]{8,128}$/.test(saved)) return saved;
      var fresh = randomId();
      localStorage.setItem(USER_KEY, fresh);
      return fresh;
    } catch (e) {
      return randomId(); // storage blocked: anonymous for this page view only
    }
  }

  function applyUiLanguage() {
    document.documentElement.lang = lang;
    log.setAttribute('aria-label', t.conversation);
    $('input-label').textContent = t.message_label;
    input.placeholder = t.placeholder;
    sendButton.textContent = t.send;
    locate.setAttribute('aria-label', t.locate);
    locate.title = t.locate;
    retry.textContent = t.retry;
    locate.hidden = !(navigator.geolocation && window.isSecureContext !== false);
  }

  function bubble(kind, text) {
    var el = document.createElement('div');
    el.className = 'msg ' + kind;
    el.setAttribute('data-testid', kind + '-message');
    el.textContent = text;
    log.appendChild(el);
    return el;
  }

  function safeHref(url) {
    var s = String(url || '');
    return /^(https?:\/\/|tel:|mailto:)/i.test(s) ? s : null;
  }

  function addLink(parent, href, label, testId) {
    var a = document.createElement('a');
    a.href = href;
    a.textContent = label;
    a.setAttribute('data-testid', testId);
    if (/^https?:/i.test(href)) {
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
    }
    parent.appendChild(document.createTextNode('\n'));
    parent.appendChild(a);
  }

  function setChoicesEnabled(group, enabled) {
    if (!group) return;
    var buttons = group.querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = !enabled;
  }

  function render(reply) {
    var el = bubble('bot', typeof reply.text === 'string' ? reply.text : '');
    var href = reply.link && safeHref(reply.link.url);
    if (href) addLink(el, href, reply.link.label || href, 'link');
    var loc = reply.location;
    if (loc && typeof loc.lat === 'number' && typeof loc.lon === 'number') {
      var mapUrl = 'https://www.google.com/maps/search/?api=1&query=' + loc.lat + ',' + loc.lon;
      addLink(el, mapUrl, '📍 ' + (loc.name || t.map), 'map-link');
    }
    if (reply.choices && reply.choices.length) {
      setChoicesEnabled(currentChoices, false);
      var group = document.createElement('div');
      group.className = 'choices';
      group.setAttribute('role', 'group');
      group.setAttribute('aria-label', t.options);
      group.setAttribute('data-testid', 'choices');
      reply.choices.forEach(function (choice) {
        var b = document.createElement('button');
        b.type = 'button';
        b.className = 'choice';
        b.textContent = choice.label;
        b.setAttribute('data-testid', 'choice');
        b.setAttribute('data-choice-id', choice.id);
        b.addEventListener('click', function () {
          if (!b.disabled) submit({ choice: choice.id }, choice.label);
        });
        group.appendChild(b);
      });
      log.appendChild(group);
      currentChoices = group;
    }
    return el;
  }

  function scrollTo(el) {
    if (el) scroller.scrollTop = Math.max(0, el.offsetTop - scroller.offsetTop - 8);
    else scroller.scrollTop = scroller.scrollHeight;
  }

  function showError(message, action) {
    errorBox.hidden = false;
    errorText.textContent = message;
    retryAction = action || null;
    retry.hidden = !action;
  }

  function hideError() {
    errorBox.hidden = true;
    errorText.textContent = '';
    retryAction = null;
  }

  function request(body) {
    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    return fetch('api/chat', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      signal: controller ? controller.signal : undefined,
    }).then(
      function (res) {
        clearTimeout(timer);
        if (!res.ok) throw { kind: 'server', status: res.status };
        return res.json().then(function (data) {
          if (!data || !Array.isArray(data.messages)) throw { kind: 'server' };
          return data.messages;
        });
      },
      function () {
        clearTimeout(timer);
        throw { kind: 'network' };
      }
    );
  }

  // Sends one message. `echo` is what the person's own bubble shows (null for the hidden /start).
  function submit(payload, echo, onFailure) {
    if (busy) return false;
    busy = true;
    hideError();
    setChoicesEnabled(currentChoices, false);
    var mine = echo ? bubble('user', echo) : null;
    typing = bubble('bot typing', '•••');
    typing.setAttribute('aria-hidden', 'true');
    typing.setAttribute('data-testid', 'typing');
    scrollTo(null);
    var body = { user: userId, messageId: randomId() };
    for (var k in payload) body[k] = payload[k];

    request(body).then(
      function (messages) {
        finish();
        if (!messages.length) return setChoicesEnabled(currentChoices, true);
        setChoicesEnabled(currentChoices, false);
        currentChoices = null;
        var first = null;
        messages.forEach(function (m) {
          var el = render(m || {});
          first = first || el;
        });
        scrollTo(mine || first);
      },
      function (error) {
        finish();
        if (mine) log.removeChild(mine);
        setChoicesEnabled(currentChoices, true);
        var again = onFailure ? onFailure() : function () { submit(payload, echo); };
        showError(error && error.kind === 'network' ? t.offline : t.failed, again);
      }
    );
    return true;
  }

  function finish() {
    busy = false;
    if (typing && typing.parentNode) typing.parentNode.removeChild(typing);
    typing = null;
  }

  function sendText() {
    var text = input.value.trim();
    if (!text || busy) return;
    input.value = '';
    submit({ text: text }, text, function () {
      // Give the typed text back so nothing is lost; retry sends whatever is in the box.
      input.value = input.value ? text + ' ' + input.value : text;
      return sendText;
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    sendText();
    input.focus();
  });

  retry.addEventListener('click', function () {
    var action = retryAction;
    hideError();
    if (action) action();
  });

  locate.addEventListener('click', function () {
    if (busy || !navigator.geolocation) return;
    hideError();
    locate.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        locate.disabled = false;
        // About 100 m is plenty to find nearby centres and reveals less about the person.
        var round = function (n) { return Math.round(n * 1000) / 1000; };
        submit({ location: { lat: round(position.coords.latitude), lon: round(position.coords.longitude) } }, t.located);
      },
      function () {
        locate.disabled = false;
        showError(t.no_location, null);
      },
      { enableHighAccuracy: false, timeout: 20000, maximumAge: 300000 }
    );
  });

  applyUiLanguage();
  submit({ text: '/start' }, null);
})();
