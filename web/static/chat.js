/*
 * Refuge: the chat, on the home page (/) and on the page the partner widget
 * frames (/chat).
 *
 * Rules this file keeps, because its readers are frightened minors and the
 * page runs under a strict Content-Security-Policy:
 * - every text from the bot or the person goes in with textContent or text
 *   nodes, never parsed as HTML; only https: URLs and French help numbers
 *   become links;
 * - nothing is stored: no cookie, no Web Storage, no IndexedDB; the
 *   conversation lives in this closure and a reload starts afresh;
 * - nothing the person typed is silently lost: when a message cannot be
 *   delivered, it is either offered again ("Renvoyer mon message") or put
 *   back in the message box.
 */
(function () {
  'use strict';

  var DEFAULT_MAX_CHARS = 2000;
  // Same default as the server's settings, used only if the page was not templated.
  var DEFAULT_EXIT_URL = 'https://www.meteofrance.com/';
  var REQUEST_TIMEOUT_MS = 45000;
  var ESCAPE_WINDOW_MS = 1500;
  var EMBEDDED_EXIT_DELAY_MS = 300;
  // The counter appears from 80 % of the limit: early enough to plan, not noise.
  var COUNTER_FROM = 0.8;

  var TEXT = {
    network: "Je n'arrive pas à joindre le service pour l'instant. Ton message n'est pas perdu : " +
      'tu peux le renvoyer. Si tu es en danger : 112 ou 17 (114 par SMS). ' +
      "Pour parler à quelqu'un : 3018. Idées de suicide : 3114. Enfant en danger : 119.",
    unavailable: "Désolé, je n'arrive pas à te répondre pour l'instant. Ton message n'est pas perdu : " +
      "tu peux le renvoyer dans un moment. Pour parler à quelqu'un : 3018. " +
      'Si tu es en danger : 112 ou 17 (114 par SMS). Idées de suicide : 3114. Enfant en danger : 119.',
    notSent: "Ton message n'a pas pu être envoyé. Il est de retour dans la case : " +
      "tu peux le modifier puis l'envoyer. Pour parler à quelqu'un : 3018. " +
      'Si tu es en danger : 112 ou 17 (114 par SMS). Idées de suicide : 3114. Enfant en danger : 119.',
    tooLong: function (excess, max) {
      return 'Ton message est trop long de ' + excess + ' caractère' + (excess > 1 ? 's' : '') +
        ' (' + max + ' au maximum). Tu peux le couper en plusieurs messages.';
    },
    wait: 'Refuge te répond, attends un instant : ton message reste dans la case.',
    pending: 'Pas encore envoyé',
    notSentMark: 'Non envoyé : il est de retour dans la case',
    notSentChoice: 'Non envoyé : tu peux choisir à nouveau',
    retry: 'Renvoyer mon message',
    typing: 'Refuge écrit…',
    unreachable: 'Service injoignable',
    youPrefix: 'Toi : ',
    botPrefix: 'Refuge : '
  };

  // Numbers that become links in bot text. 114 is reached by SMS, not by voice
  // (it is the emergency number for people who cannot speak), hence sms:.
  var HELP_NUMBERS = {
    '3018': 'tel:3018',
    '3114': 'tel:3114',
    '119': 'tel:119',
    '112': 'tel:112',
    '114': 'sms:114',
    '17': 'tel:17',
    '15': 'tel:15'
  };
  var HELP_NUMBER_ALTERNATION = '(?:3018|3114|119|112|114|17|15)';
  // A number followed by one of these is an age, a time, an amount, a date...
  var UNIT_AFTER = new RegExp(
    '^[ \\t\\u00a0\\u202f]*(?:(?:à|et|ou|-|–)[ \\t\\u00a0\\u202f]*\\d+[ \\t\\u00a0\\u202f]*)?' +
    '(?:ans?|h|heures?|min(?:utes?)?|s|secondes?|jours?|j|nuits?|mois|semaines?|fois|' +
    '€|euros?|eur|%|°|km|m|cm|kg|e|ème|eme|er|ère|caractères?|personnes?|élèves?|' +
    'photos?|images?|vidéos?|messages?|mille|millions?|milliards?|' +
    'janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|' +
    'octobre|novembre|décembre|decembre)(?![\\p{L}\\p{N}])',
    'iu'
  );
  // ... and a number preceded by one of these is a legal reference or a page.
  var REFERENCE_BEFORE = /(?:^|[^\p{L}])(?:articles?|art\.|alinéas?|al\.|n°|no\.|chapitre|titre|page|p\.|loi|décret|[LRD]\.)[\s\u00a0\u202f]*$/iu;
  var HELP_BEFORE_SLASH = new RegExp('(?:^|[^\\p{L}\\p{N}])' + HELP_NUMBER_ALTERNATION + '\\/$', 'u');
  var HELP_AFTER_SLASH = new RegExp('^\\/' + HELP_NUMBER_ALTERNATION + '(?!\\p{N})', 'u');
  var URL_PATTERN = /https:\/\/[^\s<>"'«»]+/g;

  var root = document.querySelector('[data-refuge-chat]');
  if (!root) {
    return;
  }

  var config = {
    maxChars: readMaxChars(),
    exitUrl: readExitUrl(),
    embedded: isEmbedded(),
    fullWelcome: root.getAttribute('data-welcome') === 'full'
  };

  var state = {
    conversationId: null,
    busy: false,
    // Bumped by wipe(): an answer that arrives for an older generation is dropped.
    generation: 0,
    controller: null,
    lastEscape: -Infinity,
    // Quick-reply groups of the latest bot answer (older ones get disabled).
    liveGroups: []
  };

  var ui = buildChat();
  wirePage();

  // ---------------------------------------------------------------- config

  function readMeta(name) {
    var meta = document.querySelector('meta[name="' + name + '"]');
    return meta ? meta.getAttribute('content') : null;
  }

  function readMaxChars() {
    var value = Number(readMeta('refuge-max-chars'));
    return Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_CHARS;
  }

  function readExitUrl() {
    // Only an absolute http(s) URL: an untemplated "{{...}}" or a javascript:
    // URL must never be where a frightened person is sent.
    var raw = (readMeta('refuge-quick-exit') || '').trim();
    if (/^https?:\/\//i.test(raw)) {
      try {
        return new URL(raw).href;
      } catch (error) {
        // fall through to the default
      }
    }
    return DEFAULT_EXIT_URL;
  }

  function isEmbedded() {
    try {
      return window.top !== window.self;
    } catch (error) {
      return true;
    }
  }

  // ------------------------------------------------------------- building

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function hiddenText(text) {
    return el('span', 'visually-hidden', text);
  }

  function buildChat() {
    var scroller = el('div', 'chat__scroll');
    // Focusable so that keyboard users can scroll a long legal answer.
    scroller.tabIndex = 0;
    scroller.setAttribute('role', 'region');
    scroller.setAttribute('aria-label', 'Conversation');

    var log = el('div', 'chat__log');
    log.id = 'message-log';
    log.setAttribute('role', 'log');
    log.setAttribute('aria-live', 'polite');
    log.setAttribute('aria-label', 'Messages de la conversation');
    log.dataset.testid = 'message-log';

    var typing = el('div', 'typing');
    typing.dataset.testid = 'typing-indicator';
    typing.hidden = true;
    var dots = el('span', 'typing__dots');
    dots.setAttribute('aria-hidden', 'true');
    dots.append(el('span'), el('span'), el('span'));
    typing.append(hiddenText(TEXT.typing), dots);

    // One centred column inside the scrolling area, so the typing bubble lines up with the messages.
    var column = el('div', 'chat__column');
    column.append(buildWelcome(), log, typing);
    scroller.append(column);

    var status = el('p', 'chat__status');
    status.setAttribute('role', 'status');
    status.dataset.testid = 'service-status';
    status.hidden = true;
    var statusDot = el('span', 'chat__status-dot');
    statusDot.setAttribute('aria-hidden', 'true');
    status.append(statusDot, document.createTextNode(TEXT.unreachable));

    var form = el('form', 'composer');
    form.noValidate = true;

    var top = el('div', 'composer__top');
    var label = el('label', 'composer__label', 'Ton message');
    label.htmlFor = 'message-input';
    var counter = el('span', 'composer__counter');
    counter.id = 'message-counter';
    counter.dataset.testid = 'char-counter';
    counter.hidden = true;
    var newConversation = el('button', 'link-button', 'Nouvelle conversation');
    newConversation.type = 'button';
    newConversation.dataset.testid = 'new-conversation';
    top.append(label, counter, newConversation);

    var row = el('div', 'composer__row');
    var input = el('textarea', 'composer__input');
    input.id = 'message-input';
    input.name = 'message';
    input.rows = 1;
    input.dataset.testid = 'message-input';
    input.setAttribute('autocomplete', 'off');
    input.setAttribute('autocapitalize', 'sentences');
    input.setAttribute('enterkeyhint', 'send');
    input.setAttribute('aria-describedby', 'message-hint message-counter');
    var send = el('button', 'send-button', 'Envoyer');
    send.type = 'submit';
    send.dataset.testid = 'send-button';
    row.append(input, send);

    var hint = el('p', 'composer__hint', 'Entrée : envoyer. Maj + Entrée : aller à la ligne.');
    hint.id = 'message-hint';
    // Polite: it answers the person's own action, it must not cut a screen reader.
    var notice = el('p', 'composer__notice');
    notice.setAttribute('aria-live', 'polite');

    // The status line lives in the message box, which always stays on screen.
    form.append(status, top, row, notice, hint);
    root.append(scroller, form);

    form.addEventListener('submit', onSubmit);
    input.addEventListener('keydown', onInputKeydown);
    input.addEventListener('input', onInput);
    newConversation.addEventListener('click', onNewConversation);

    return {
      scroller: scroller,
      log: log,
      typing: typing,
      status: status,
      input: input,
      send: send,
      counter: counter,
      notice: notice
    };
  }

  function buildWelcome() {
    var welcome = el('div', 'chat__welcome');
    welcome.append(el('p', 'chat__welcome-lead', 'Raconte-moi ce qui se passe, avec tes mots, même en vrac.'));
    if (config.fullWelcome) {
      // /chat has no presentation around it: say what this is, and where humans are.
      welcome.append(
        el('p', null, 'Refuge est un programme, pas une personne. C\'est anonyme et gratuit, ' +
          'et Refuge ne te demandera jamais de photo.'),
        richParagraph('chat__welcome-help', "Parler à quelqu'un : 3018. Danger immédiat : 112 ou 17 (114 par SMS).")
      );
    }
    welcome.append(el('p', 'chat__welcome-parent', 'Parent, enseignant·e, éducateur·rice ? Écrivez simplement ce qui arrive à l\'enfant ou au jeune.'));
    return welcome;
  }

  function richParagraph(className, text) {
    var paragraph = el('p', className);
    appendRichText(paragraph, text);
    return paragraph;
  }

  function wirePage() {
    document.querySelectorAll('[data-refuge-action="quick-exit"]').forEach(function (button) {
      button.addEventListener('click', quickExit);
    });
    document.querySelectorAll('[data-refuge-action="close"]').forEach(function (button) {
      // Only the widget's iframe can be "closed": the partner page hides it.
      button.hidden = !config.embedded;
      button.addEventListener('click', function () {
        window.parent.postMessage({ type: 'refuge:close' }, '*');
      });
    });
    document.querySelectorAll('[data-refuge-action="skip"]').forEach(function (link) {
      link.addEventListener('click', function (event) {
        event.preventDefault();
        ui.input.focus();
      });
    });
    document.addEventListener('keydown', onDocumentKeydown);
    if (config.embedded) {
      document.documentElement.classList.add('is-embedded');
    }
  }

  // ---------------------------------------------------------- composing

  function countChars(text) {
    // Code points, like the server's len(): an emoji counts once.
    return Array.from(text).length;
  }

  function onInputKeydown(event) {
    // Enter sends, Shift+Enter is a new line; never during an IME composition.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submitTyped();
    }
  }

  function onInput() {
    autosize();
    updateCounter();
  }

  function onSubmit(event) {
    event.preventDefault();
    submitTyped();
    // After a click on "Envoyer", the person goes on typing where they were.
    ui.input.focus();
  }

  function submitTyped() {
    var text = ui.input.value.trim();
    if (!text) {
      return;
    }
    if (state.busy) {
      setNotice(TEXT.wait);
      return;
    }
    var length = countChars(text);
    if (length > config.maxChars) {
      setNotice(TEXT.tooLong(length - config.maxChars, config.maxChars), 'too-long');
      return;
    }
    setNotice('');
    ui.input.value = '';
    autosize();
    updateCounter();
    send({ text: text, display: text, group: null, bubble: null });
  }

  function autosize() {
    // Grows with the text up to the CSS max-height, then scrolls inside.
    ui.input.style.height = 'auto';
    ui.input.style.height = ui.input.scrollHeight + 2 + 'px';
  }

  function updateCounter() {
    var length = countChars(ui.input.value);
    var show = length >= config.maxChars * COUNTER_FROM;
    ui.counter.hidden = !show;
    ui.counter.textContent = show ? length + ' / ' + config.maxChars : '';
    var over = length > config.maxChars;
    ui.counter.classList.toggle('is-over', over);
    // The counter is only described, not announced at each key; the notice
    // speaks when sending is refused, and goes once the text fits again.
    if (over) {
      ui.input.setAttribute('aria-invalid', 'true');
    } else {
      ui.input.removeAttribute('aria-invalid');
      if (ui.notice.dataset.kind === 'too-long') {
        setNotice('');
      }
    }
  }

  function setNotice(text, kind) {
    if (ui.notice.textContent !== text) {
      ui.notice.textContent = text;
    }
    ui.notice.dataset.kind = text ? kind || 'info' : '';
  }

  function giveBackText(text) {
    // Never overwrite what the person typed since: put the old text first.
    var current = ui.input.value;
    ui.input.value = current.trim() ? text + '\n' + current : text;
    autosize();
    updateCounter();
  }

  // ------------------------------------------------------------ messages

  function appendUserBubble(text) {
    var bubble = el('div', 'msg msg--user');
    bubble.dataset.testid = 'user-message';
    var body = el('p', 'msg__text');
    body.append(hiddenText(TEXT.youPrefix), document.createTextNode(text));
    bubble.append(body);
    ui.log.append(bubble);
    return bubble;
  }

  function markPending(bubble) {
    if (!bubble || bubble.querySelector('.msg__state')) {
      return;
    }
    bubble.classList.add('is-pending');
    bubble.append(el('p', 'msg__state', TEXT.pending));
  }

  function markSent(bubble) {
    if (!bubble) {
      return;
    }
    bubble.classList.remove('is-pending');
    var mark = bubble.querySelector('.msg__state');
    if (mark) {
      mark.remove();
    }
  }

  function normaliseMessages(list) {
    // The server's shape, defensively: anything unexpected is dropped, never rendered raw.
    if (!Array.isArray(list)) {
      return [];
    }
    return list.filter(function (item) {
      return item && typeof item === 'object';
    }).map(function (item) {
      var buttons = Array.isArray(item.buttons) ? item.buttons.filter(function (button) {
        return button && typeof button.title === 'string' && typeof button.payload === 'string' &&
          button.payload !== '';
      }) : [];
      var doc = item.document && typeof item.document === 'object' &&
        typeof item.document.text === 'string' && item.document.text ? {
          title: typeof item.document.title === 'string' && item.document.title ?
            item.document.title : 'Récapitulatif',
          text: item.document.text
        } : null;
      return { text: typeof item.text === 'string' ? item.text : '', buttons: buttons, document: doc };
    }).filter(function (message) {
      return message.text || message.buttons.length || message.document;
    });
  }

  function renderBotMessages(messages, retryEntry) {
    // A new answer makes the previous answer's quick replies obsolete.
    state.liveGroups.forEach(disableGroup);
    state.liveGroups = [];
    var first = null;
    var last = null;
    messages.forEach(function (message) {
      var node = botMessage(message);
      ui.log.append(node);
      first = first || node;
      last = node;
    });
    if (retryEntry && last) {
      last.append(retryButton(retryEntry));
    }
    if (first) {
      reveal(first);
    }
  }

  function botMessage(message) {
    var wrapper = el('div', 'msg-group');
    var bubble = el('div', 'msg msg--bot');
    bubble.dataset.testid = 'bot-message';
    bubble.append(hiddenText(TEXT.botPrefix));
    if (message.text) {
      var body = el('div', 'msg__text');
      appendRichText(body, message.text);
      bubble.append(body);
    }
    if (message.document) {
      bubble.classList.add('msg--document');
      // The server attaches the document to the text it repeats; show it only if it differs.
      if (message.document.text !== message.text) {
        var docText = el('div', 'msg__doc');
        docText.append(el('p', 'msg__doc-title', message.document.title),
          el('div', 'msg__text', message.document.text));
        bubble.append(docText);
      }
    }
    wrapper.append(bubble);
    if (message.document) {
      wrapper.append(documentActions(message.document));
    }
    if (message.buttons.length) {
      var group = quickReplies(message.buttons);
      wrapper.append(group);
      state.liveGroups.push(group);
    }
    return wrapper;
  }

  function quickReplies(buttons) {
    var group = el('div', 'quick-replies');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', 'Réponses proposées');
    buttons.forEach(function (button) {
      var node = el('button', 'quick-reply', button.title || button.payload);
      node.type = 'button';
      node.dataset.testid = 'quick-reply';
      node.addEventListener('click', function (event) {
        if (state.busy || node.disabled) {
          if (state.busy) {
            setNotice(TEXT.wait);
          }
          return;
        }
        disableGroup(group);
        node.classList.add('is-chosen');
        keepFocusAfterClick(event);
        // The bubble shows the words the person chose; the bot gets the payload.
        send({ text: button.payload, display: button.title || button.payload, group: group, bubble: null });
      });
      group.append(node);
    });
    return group;
  }

  function disableGroup(group) {
    group.querySelectorAll('button').forEach(function (button) {
      button.disabled = true;
    });
    group.classList.add('is-used');
  }

  function enableGroup(group) {
    group.querySelectorAll('button').forEach(function (button) {
      button.disabled = false;
      button.classList.remove('is-chosen');
    });
    group.classList.remove('is-used');
  }

  function keepFocusAfterClick(event) {
    // The clicked button gets disabled, which would drop focus to <body>.
    // Keyboard users (click with detail 0) and desktop users go back to the
    // message box; on touch screens we do not pop the keyboard up uninvited.
    var coarse = window.matchMedia && window.matchMedia('(pointer: coarse)').matches;
    if (event.detail === 0 || !coarse) {
      ui.input.focus({ preventScroll: true });
    }
  }

  function retryButton(entry) {
    var wrapper = el('div', 'retry');
    var button = el('button', 'retry__button', TEXT.retry);
    button.type = 'button';
    button.dataset.testid = 'retry-button';
    button.addEventListener('click', function (event) {
      if (state.busy) {
        setNotice(TEXT.wait);
        return;
      }
      button.disabled = true;
      wrapper.classList.add('is-used');
      keepFocusAfterClick(event);
      send(entry);
    });
    wrapper.append(button);
    return wrapper;
  }

  function documentActions(doc) {
    var group = el('div', 'doc-actions');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', doc.title);
    var save = el('button', 'doc-actions__button', 'Enregistrer');
    save.type = 'button';
    save.dataset.testid = 'document-save';
    save.addEventListener('click', function () {
      saveDocument(doc);
    });
    var print = el('button', 'doc-actions__button', 'Imprimer');
    print.type = 'button';
    print.dataset.testid = 'document-print';
    print.addEventListener('click', function () {
      printDocument(doc);
    });
    group.append(save, print);
    return group;
  }

  // ----------------------------------------------------------- rich text

  function appendRichText(parent, text) {
    // https: URLs first; the rest of the text is searched for help numbers.
    var last = 0;
    URL_PATTERN.lastIndex = 0;
    var match;
    while ((match = URL_PATTERN.exec(text)) !== null) {
      var raw = trimUrl(match[0]);
      var link = urlLink(raw);
      if (!link) {
        continue;
      }
      appendWithNumbers(parent, text.slice(last, match.index));
      parent.append(link);
      last = match.index + raw.length;
      URL_PATTERN.lastIndex = last;
    }
    appendWithNumbers(parent, text.slice(last));
  }

  function trimUrl(raw) {
    // Sentence punctuation after a URL is not part of it; nor is a closing
    // bracket that was opened before the URL.
    var url = raw.replace(/[.,;:!?…]+$/, '');
    while (/[)\]]$/.test(url)) {
      var close = url.slice(-1);
      var open = close === ')' ? '(' : '[';
      if (url.split(open).length >= url.split(close).length) {
        break;
      }
      url = url.slice(0, -1).replace(/[.,;:!?…]+$/, '');
    }
    return url;
  }

  function urlLink(raw) {
    var url;
    try {
      url = new URL(raw);
    } catch (error) {
      return null;
    }
    if (url.protocol !== 'https:') {
      return null;
    }
    var link = el('a', 'msg__link', raw);
    link.href = url.href;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    return link;
  }

  function appendWithNumbers(parent, text) {
    var pattern = /\d+/g;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var number = match[0];
      var end = match.index + number.length;
      if (!Object.prototype.hasOwnProperty.call(HELP_NUMBERS, number) ||
          !isStandaloneNumber(text.slice(0, match.index), text.slice(end))) {
        continue;
      }
      if (match.index > last) {
        parent.append(document.createTextNode(text.slice(last, match.index)));
      }
      var link = el('a', 'msg__tel', number);
      link.href = HELP_NUMBERS[number];
      parent.append(link);
      last = end;
    }
    if (last < text.length) {
      parent.append(document.createTextNode(text.slice(last)));
    }
  }

  function isStandaloneNumber(before, after) {
    // A help number only when it stands alone: not in 2026, 312-17, 17,5,
    // 3018.fr, allo119, "06 17 45", nor in an age, time, amount or date.
    var previous = before.slice(-1);
    var next = after.charAt(0);
    if (/[\p{L}\p{N}_+\-–.,#€$@'’]/u.test(previous)) {
      return false;
    }
    if (previous === ':' && /\p{N}:$/u.test(before)) {
      return false; // a time, 14:17
    }
    if (previous === '/' && !HELP_BEFORE_SLASH.test(before)) {
      return false;
    }
    if (/\d[ \t\u00a0\u202f]+$/.test(before) || REFERENCE_BEFORE.test(before)) {
      return false;
    }
    if (/[\p{L}\p{N}_\-–€$%°@]/u.test(next)) {
      return false;
    }
    if (/^[.,:][\p{L}\p{N}]/u.test(after)) {
      return false;
    }
    if (next === '/' && !HELP_AFTER_SLASH.test(after)) {
      return false;
    }
    if (/^[ \t\u00a0\u202f]+\d+(?![\p{L}\p{N}])/u.test(after)) {
      return false; // "06 17 45 ...", "15 000"
    }
    return !UNIT_AFTER.test(after);
  }

  // ----------------------------------------------------------- sending

  function send(entry) {
    state.busy = true;
    ui.send.setAttribute('aria-disabled', 'true');
    if (!entry.bubble) {
      entry.bubble = appendUserBubble(entry.display);
    }
    ui.typing.hidden = false;
    reveal(null);
    var generation = state.generation;
    // One id per message, kept when it is sent again ("Renvoyer"): the server
    // then answers it once, even if the first attempt did reach the assistant.
    if (!entry.id) {
      entry.id = newMessageId();
    }
    deliver(entry.text, entry.id, generation).catch(function () {
      return { network: true };
    }).then(function (result) {
      if (generation !== state.generation) {
        return; // wiped meanwhile (new conversation, quick exit)
      }
      finish();
      handleResult(entry, result);
    });
  }

  function finish() {
    state.busy = false;
    state.controller = null;
    ui.send.removeAttribute('aria-disabled');
    ui.typing.hidden = true;
    if (ui.notice.dataset.kind === 'info') {
      setNotice('');
    }
  }

  function newMessageId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (byte) {
      return ('0' + byte.toString(16)).slice(-2);
    }).join('');
  }

  async function deliver(text, messageId, generation) {
    // The conversation is created at the first message; a conversation the
    // server has forgotten (purged) is replaced once, silently.
    for (var attempt = 0; attempt < 2; attempt += 1) {
      if (!state.conversationId) {
        var created = await postJson('/api/conversations', {});
        if (generation !== state.generation) {
          return { aborted: true };
        }
        if (!created.ok) {
          return created;
        }
        if (typeof created.data.id !== 'string' || !created.data.id) {
          return { network: true };
        }
        state.conversationId = created.data.id;
      }
      var url = '/api/conversations/' + encodeURIComponent(state.conversationId) + '/messages';
      var reply = await postJson(url, { text: text, message_id: messageId });
      if (generation !== state.generation) {
        return { aborted: true };
      }
      if (reply.status === 404 && reply.data.error === 'conversation_inconnue' && attempt === 0) {
        state.conversationId = null;
        continue;
      }
      return reply;
    }
    return { network: true };
  }

  async function postJson(url, body) {
    var controller = new AbortController();
    state.controller = controller;
    var timer = setTimeout(function () {
      controller.abort();
    }, REQUEST_TIMEOUT_MS);
    try {
      var response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
        signal: controller.signal
      });
      var data = await response.json();
      if (!data || typeof data !== 'object' || Array.isArray(data)) {
        return { network: true };
      }
      return { ok: response.ok, status: response.status, data: data };
    } catch (error) {
      // Offline, timeout, aborted, or an answer that is not JSON (a proxy's
      // error page): the same for the person, the service cannot be reached.
      return { network: true };
    } finally {
      clearTimeout(timer);
    }
  }

  function handleResult(entry, result) {
    if (result.aborted) {
      return;
    }
    if (result.network || (result.ok && !Array.isArray(result.data.messages))) {
      setUnreachable(true);
      markPending(entry.bubble);
      renderBotMessages([{ text: TEXT.network, buttons: [], document: null }], entry);
      return;
    }
    setUnreachable(false);
    var messages = normaliseMessages(result.data.messages);
    if (result.ok) {
      markSent(entry.bubble);
      renderBotMessages(messages, null);
      return;
    }
    if (result.status >= 500 && result.data.retry !== false) {
      // 503: the assistant could not answer; the same text can be sent again.
      markPending(entry.bubble);
      renderBotMessages(messages.length ? messages : [{ text: TEXT.unavailable, buttons: [], document: null }], entry);
      return;
    }
    // 413, 429, 400, 415, 422...: the text goes back where it can be changed.
    giveBack(entry);
    renderBotMessages(messages.length ? messages : [{ text: TEXT.notSent, buttons: [], document: null }], null);
  }

  function giveBack(entry) {
    if (entry.bubble && entry.bubble.classList.contains('is-pending')) {
      // A retried message already has answers under it: it stays, marked,
      // rather than vanish from the middle of the conversation.
      entry.bubble.querySelector('.msg__state').textContent = entry.group ? TEXT.notSentChoice : TEXT.notSentMark;
      entry.bubble = null;
    } else if (entry.bubble) {
      entry.bubble.remove();
      entry.bubble = null;
    }
    if (entry.group) {
      // A quick reply's payload means nothing in the box: offer the choices again.
      enableGroup(entry.group);
      state.liveGroups.push(entry.group);
      return;
    }
    giveBackText(entry.text);
  }

  function setUnreachable(unreachable) {
    ui.status.hidden = !unreachable;
  }

  // ----------------------------------------------------------- scrolling

  function scrollBox() {
    // Whichever ancestor actually scrolls: the chat column on wide screens,
    // the whole page body on the home page on phones.
    for (var node = ui.log.parentElement; node && node !== document.body; node = node.parentElement) {
      var overflow = getComputedStyle(node).overflowY;
      if ((overflow === 'auto' || overflow === 'scroll') && node.scrollHeight > node.clientHeight) {
        return node;
      }
    }
    return document.scrollingElement || document.documentElement;
  }

  function reveal(firstNew) {
    // Show the end of the conversation; but if the answer is longer than the
    // screen, show its beginning, so a long legal answer is read from the top.
    var box = scrollBox();
    var end = box.scrollHeight - box.clientHeight;
    var target = end;
    if (firstNew) {
      var boxTop = box === document.scrollingElement ? 0 : box.getBoundingClientRect().top;
      var top = firstNew.getBoundingClientRect().top - boxTop + box.scrollTop - 16;
      target = Math.min(end, top);
    }
    var reduce = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    box.scrollTo({ top: Math.max(0, target), behavior: reduce ? 'auto' : 'smooth' });
  }

  // ------------------------------------------------------------- document

  function startsWithTitle(doc) {
    // The summary usually starts with its own title in capitals: do not repeat it.
    return doc.text.toLocaleUpperCase('fr').indexOf(doc.title.toLocaleUpperCase('fr')) === 0;
  }

  function documentText(doc) {
    return (startsWithTitle(doc) ? doc.text : doc.title + '\n\n' + doc.text) + '\n';
  }

  function saveDocument(doc) {
    var blob = new Blob([documentText(doc)], { type: 'text/plain;charset=utf-8' });
    var url = URL.createObjectURL(blob);
    var link = document.createElement('a');
    link.href = url;
    link.download = 'recapitulatif-plainte.txt';
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    // Revoked a little later: some browsers read the blob after click() returns.
    setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 1000);
  }

  function printDocument(doc) {
    // The print style sheet shows only .print-area while body has the class.
    var area = document.querySelector('.print-area');
    if (!area) {
      area = el('div', 'print-area');
      area.setAttribute('aria-hidden', 'true');
      document.body.append(area);
    }
    area.replaceChildren(el('div', 'print-area__text', doc.text));
    if (!startsWithTitle(doc)) {
      area.prepend(el('h1', 'print-area__title', doc.title));
    }
    document.body.classList.add('is-printing-document');
    window.addEventListener('afterprint', endPrint, { once: true });
    window.print();
    // Safety net where afterprint never comes: the next touch or key on the
    // page puts things back, so a later Ctrl+P prints the whole conversation.
    document.addEventListener('pointerdown', endPrint, { once: true });
    document.addEventListener('keydown', endPrint, { once: true });
  }

  function endPrint() {
    document.body.classList.remove('is-printing-document');
    var area = document.querySelector('.print-area');
    if (area) {
      area.replaceChildren();
    }
  }

  // ---------------------------------------- new conversation, quick exit

  function wipe() {
    // Forget everything this page knows about the conversation.
    state.generation += 1;
    if (state.controller) {
      state.controller.abort();
    }
    state.controller = null;
    state.conversationId = null;
    state.busy = false;
    state.liveGroups = [];
    ui.log.replaceChildren();
    ui.input.value = '';
    autosize();
    updateCounter();
    setNotice('');
    ui.typing.hidden = true;
    ui.send.removeAttribute('aria-disabled');
    setUnreachable(false);
    endPrint();
  }

  function onNewConversation() {
    wipe();
    ui.scroller.scrollTop = 0;
    ui.input.focus();
  }

  function quickExit() {
    wipe();
    if (config.embedded) {
      // The partner page (widget.js) checks our origin and leaves for the neutral site.
      try {
        window.parent.postMessage({ type: 'refuge:quick-exit' }, '*');
      } catch (error) {
        // nothing more to do than leave ourselves
      }
      // Not at once: if this frame navigated before the parent handled the
      // message, event.source would no longer be our frame and widget.js
      // would (rightly) ignore it. The conversation is already wiped.
      setTimeout(function () {
        window.location.replace('about:blank');
      }, EMBEDDED_EXIT_DELAY_MS);
      return;
    }
    // replace(): the back button must not bring the chat back.
    window.location.replace(config.exitUrl);
  }

  function onDocumentKeydown(event) {
    if (event.key !== 'Escape' && event.key !== 'Esc') {
      return;
    }
    var now = performance.now();
    if (now - state.lastEscape <= ESCAPE_WINDOW_MS) {
      event.preventDefault();
      quickExit();
      return;
    }
    state.lastEscape = now;
  }
})();
