/*
 * Refuge widget, for partner sites (a school, an association). One tag:
 *
 *   <script src="https://refuge.example/widget.js" async></script>
 *
 * adds a "Besoin d'aide ?" button at the bottom right of the page; it opens
 * and closes the chat (https://refuge.example/chat) in an iframe.
 *
 * The partner page may have a strict Content-Security-Policy, so everything
 * is styled through the CSSOM (element.style), never with a <style> element
 * or a style attribute. The partner's CSP must allow this script and the
 * frame: script-src and frame-src https://refuge.example.
 */
(function () {
  'use strict';

  // Templated by the Refuge server (JSON-string-escaped): the neutral site of "Quitter rapidement".
  var QUICK_EXIT_URL = "{{quick_exit_url}}";
  var DEFAULT_EXIT_URL = 'https://www.meteofrance.com/';
  var NARROW_SCREEN = '(max-width: 600px), (max-height: 500px)';
  var Z_INDEX = '2147483000';
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';
  var COLOURS = { accent: '#0c5a61', accentHover: '#08454a', focus: '#1f4fd1' };
  // Text spacing stays overridable by the reader's own style sheet (WCAG 1.4.12).
  var READER_ADJUSTABLE = { 'line-height': true, 'letter-spacing': true, 'word-spacing': true };

  var origin = scriptOrigin();
  if (!origin) {
    return;
  }
  // Loaded twice (two tags, or a single-page app re-running it): one button only.
  if (document.querySelector('[data-testid="refuge-launcher"]')) {
    return;
  }

  var launcher = null;
  var frame = null;
  var isOpen = false;
  var savedOverflow = null;
  var narrow = window.matchMedia ? window.matchMedia(NARROW_SCREEN) : null;

  if (document.body) {
    start();
  } else {
    document.addEventListener('DOMContentLoaded', start);
  }

  function scriptOrigin() {
    // document.currentScript is set for classic scripts, async ones included;
    // the fallback finds our tag when it is not (very old browsers).
    var script = document.currentScript;
    var src = script && script.src;
    if (!src) {
      var tags = document.querySelectorAll('script[src*="widget.js"]');
      src = tags.length ? tags[tags.length - 1].src : '';
    }
    try {
      var url = new URL(src);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
    } catch (error) {
      return null;
    }
  }

  function exitUrl() {
    // An untemplated or non-http(s) value must never be followed.
    if (/^https?:\/\//i.test(QUICK_EXIT_URL)) {
      try {
        return new URL(QUICK_EXIT_URL).href;
      } catch (error) {
        // fall through
      }
    }
    return DEFAULT_EXIT_URL;
  }

  function css(element, declarations) {
    // !important: the partner's own rules (button { ... }) must not reshape ours.
    Object.keys(declarations).forEach(function (property) {
      var priority = READER_ADJUSTABLE[property] ? '' : 'important';
      element.style.setProperty(property, declarations[property], priority);
    });
  }

  function start() {
    if (document.querySelector('[data-testid="refuge-launcher"]')) {
      return;
    }
    launcher = document.createElement('button');
    launcher.type = 'button';
    launcher.dataset.testid = 'refuge-launcher';
    launcher.setAttribute('aria-expanded', 'false');
    launcher.append(bubbleIcon(), document.createTextNode("Besoin d'aide ?"));
    styleLauncher();
    launcher.addEventListener('click', function () {
      if (isOpen) {
        close(false);
      } else {
        open();
      }
    });
    launcher.addEventListener('focus', function () {
      // :focus-visible cannot be written inline; ask the element instead.
      var visible = true;
      try {
        visible = launcher.matches(':focus-visible');
      } catch (error) {
        // older browsers: always show the ring
      }
      if (visible) {
        css(launcher, { outline: '3px solid ' + COLOURS.focus, 'outline-offset': '3px' });
      }
    });
    launcher.addEventListener('blur', function () {
      css(launcher, { outline: 'none' });
    });
    launcher.addEventListener('mouseenter', function () {
      css(launcher, { background: COLOURS.accentHover });
    });
    launcher.addEventListener('mouseleave', function () {
      css(launcher, { background: COLOURS.accent });
    });
    document.body.append(launcher);

    window.addEventListener('message', onMessage);
    document.addEventListener('keydown', function (event) {
      // Escape on the partner page closes the panel, like any disclosure.
      if ((event.key === 'Escape' || event.key === 'Esc') && isOpen) {
        close(true);
      }
    });
    if (narrow) {
      var relayout = function () {
        if (frame) {
          styleFrame();
        }
        styleLauncher();
      };
      if (narrow.addEventListener) {
        narrow.addEventListener('change', relayout);
      } else if (narrow.addListener) {
        narrow.addListener(relayout);
      }
    }
  }

  function bubbleIcon() {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '22');
    svg.setAttribute('height', '22');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('d', 'M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4A2.5 2.5 0 0 1 3 13.5v-8');
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '2');
    path.setAttribute('stroke-linejoin', 'round');
    svg.append(path);
    css(svg, { display: 'block', flex: 'none', width: '22px', height: '22px' });
    return svg;
  }

  function isNarrow() {
    return Boolean(narrow && narrow.matches);
  }

  function styleLauncher() {
    css(launcher, {
      position: 'fixed',
      right: '16px',
      bottom: '16px',
      left: 'auto',
      top: 'auto',
      'z-index': Z_INDEX,
      display: isOpen && isNarrow() ? 'none' : 'inline-flex',
      'align-items': 'center',
      gap: '8px',
      width: 'auto',
      height: 'auto',
      'min-height': '52px',
      'max-width': 'calc(100vw - 32px)',
      margin: '0',
      padding: '12px 20px',
      border: '2px solid #ffffff',
      'border-radius': '999px',
      background: COLOURS.accent,
      color: '#ffffff',
      'font-family': FONT,
      'font-size': '17px',
      'font-weight': '700',
      'font-style': 'normal',
      'line-height': '1.2',
      'letter-spacing': 'normal',
      'text-transform': 'none',
      'text-decoration': 'none',
      'white-space': 'nowrap',
      'box-shadow': '0 4px 14px rgba(0, 0, 0, 0.28)',
      cursor: 'pointer',
      opacity: '1',
      visibility: 'visible',
      transform: 'none'
    });
    // Clear of the phone's home indicator when the browser knows about it.
    launcher.style.setProperty('bottom', 'max(16px, env(safe-area-inset-bottom))', 'important');
  }

  function createFrame() {
    frame = document.createElement('iframe');
    frame.id = 'refuge-widget-frame';
    frame.src = origin + '/chat';
    frame.title = "Refuge : discussion d'aide anonyme";
    frame.dataset.testid = 'refuge-frame';
    // The chat needs nothing from the partner page, not even its address.
    frame.referrerPolicy = 'no-referrer';
    frame.setAttribute('allow', '');
    styleFrame();
    document.body.append(frame);
    launcher.setAttribute('aria-controls', frame.id);
    frame.addEventListener('load', function () {
      if (isOpen) {
        frame.focus();
      }
    });
  }

  function styleFrame() {
    var common = {
      position: 'fixed',
      'z-index': Z_INDEX,
      display: isOpen ? 'block' : 'none',
      margin: '0',
      padding: '0',
      border: '0',
      background: '#f5f3ee',
      'color-scheme': 'normal',
      opacity: '1',
      visibility: 'visible',
      transform: 'none'
    };
    css(frame, common);
    if (isNarrow()) {
      // Phones: the whole screen; the chat's own "Fermer" button closes it.
      css(frame, {
        top: '0',
        right: '0',
        bottom: '0',
        left: '0',
        width: '100%',
        height: '100%',
        'max-width': 'none',
        'max-height': 'none',
        'border-radius': '0',
        'box-shadow': 'none'
      });
      frame.style.setProperty('height', '100dvh', 'important');
    } else {
      css(frame, {
        top: 'auto',
        left: 'auto',
        right: '16px',
        bottom: '84px',
        width: '400px',
        height: '680px',
        'max-width': 'calc(100vw - 32px)',
        'max-height': 'calc(100vh - 108px)',
        'border-radius': '16px',
        'box-shadow': '0 12px 40px rgba(0, 0, 0, 0.3)'
      });
    }
  }

  function lockPageScroll(lock) {
    // Full-screen panel on a phone: the partner page must not scroll behind it.
    var root = document.documentElement;
    if (lock && savedOverflow === null) {
      savedOverflow = root.style.getPropertyValue('overflow');
      root.style.setProperty('overflow', 'hidden');
    } else if (!lock && savedOverflow !== null) {
      if (savedOverflow) {
        root.style.setProperty('overflow', savedOverflow);
      } else {
        root.style.removeProperty('overflow');
      }
      savedOverflow = null;
    }
  }

  function open() {
    isOpen = true;
    if (!frame) {
      createFrame();
    } else {
      styleFrame();
    }
    styleLauncher();
    launcher.setAttribute('aria-expanded', 'true');
    lockPageScroll(isNarrow());
    frame.focus();
  }

  function close(returnFocus) {
    // Hidden, not removed: the conversation is still there when reopened.
    isOpen = false;
    if (frame) {
      styleFrame();
    }
    styleLauncher();
    launcher.setAttribute('aria-expanded', 'false');
    lockPageScroll(false);
    if (returnFocus) {
      launcher.focus();
    }
  }

  function onMessage(event) {
    // Only our own iframe, from our own origin, may ask anything.
    if (!frame || event.source !== frame.contentWindow || event.origin !== origin) {
      return;
    }
    var data = event.data;
    if (!data || typeof data !== 'object') {
      return;
    }
    if (data.type === 'refuge:quick-exit') {
      quickExit();
    } else if (data.type === 'refuge:close') {
      close(true);
    }
  }

  function quickExit() {
    // Nothing of the chat stays on the page, and replace() keeps the back
    // button from coming back here.
    if (frame) {
      frame.remove();
      frame = null;
    }
    if (launcher) {
      launcher.remove();
    }
    lockPageScroll(false);
    window.location.replace(exitUrl());
  }
})();
