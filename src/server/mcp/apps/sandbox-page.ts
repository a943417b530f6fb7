/**
 * The sandbox proxy page (MCP Apps spec 2026-01-26, "Sandbox proxy"; the SDK's
 * examples/basic-host does the same). It runs on an opaque origin (its CSP says `sandbox
 * allow-scripts`, and the iframe holding it too), waits for the app's HTML from Switchboard
 * (`ui/notifications/sandbox-resource-ready`), renders it in an inner iframe that inherits this
 * page's CSP, and relays the JSON-RPC messages between the two. It is static: the same bytes
 * for every app; only the CSP header differs.
 */
export const SANDBOX_PAGE_HTML = `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<meta name="color-scheme" content="light dark">
<style>html,body{margin:0;padding:0;height:100%;overflow:hidden;background:transparent}iframe{border:0;width:100%;height:100%;display:block}</style>
</head>
<body>
<script>
(function () {
  if (window.parent === window) return;
  // location.origin is the URL's origin (Switchboard), though this document's own is opaque.
  var host = location.origin;
  var inner = null;
  var ALLOW = { camera: 'camera', microphone: 'microphone', geolocation: 'geolocation', clipboardWrite: 'clipboard-write' };
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (event.source === window.parent) {
      if (event.origin !== host) return;
      if (data && data.method === 'ui/notifications/sandbox-resource-ready') {
        if (inner) return;
        var params = data.params || {};
        inner = document.createElement('iframe');
        // Never allow-same-origin: the app gets an opaque origin of its own.
        inner.setAttribute('sandbox', 'allow-scripts');
        var allow = [];
        var permissions = params.permissions || {};
        for (var key in ALLOW) if (permissions[key]) allow.push(ALLOW[key]);
        if (allow.length) inner.setAttribute('allow', allow.join('; '));
        inner.setAttribute('title', 'app');
        inner.srcdoc = String(params.html || '');
        document.body.appendChild(inner);
        return;
      }
      if (inner && inner.contentWindow) inner.contentWindow.postMessage(data, '*');
    } else if (inner && event.source === inner.contentWindow) {
      window.parent.postMessage(data, host);
    }
  });
  window.parent.postMessage({ jsonrpc: '2.0', method: 'ui/notifications/sandbox-proxy-ready', params: {} }, host);
})();
</script>
</body>
</html>
`
