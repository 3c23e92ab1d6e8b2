namespace Firecrest.Server.Docs;

/// <summary>A self-contained docs page (no external scripts) that renders the routes of <c>/openapi.json</c>.</summary>
public static class DocsPage
{
    /// <summary>
    /// The page's Content-Security-Policy: nothing may load but its own inline script and style (allowed by their
    /// SHA-256) and <c>openapi.json</c> from the same origin.
    /// </summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; script-src '{Hash("script")}'; style-src '{Hash("style")}'; connect-src 'self'; " +
        "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static string Hash(string element)
    {
        var start = Html.IndexOf($"<{element}>", StringComparison.Ordinal) + element.Length + 2;
        var end = Html.IndexOf($"</{element}>", start, StringComparison.Ordinal);
        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Html[start..end]));
        return "sha256-" + Convert.ToBase64String(digest);
    }

    /// <summary>The page.</summary>
    public const string Html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>FirecREST API</title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 70rem; }
          h2 { border-bottom: 1px solid #ccc; margin-top: 2rem; }
          details { margin: .4rem 0; border: 1px solid #ddd; border-radius: 4px; padding: .4rem .6rem; }
          summary { cursor: pointer; }
          .m { display: inline-block; width: 4.5rem; font-weight: bold; font-family: monospace; }
          .get { color: #1565c0; } .post { color: #2e7d32; } .put { color: #ef6c00; } .delete { color: #c62828; }
          code, pre { background: #f5f5f5; padding: 0 .2rem; }
          pre { padding: .5rem; overflow-x: auto; }
          table { border-collapse: collapse; } td, th { border: 1px solid #ddd; padding: .2rem .5rem; text-align: left; }
        </style>
        </head>
        <body>
        <h1>FirecREST API</h1>
        <p>Generated from <a href="openapi.json">openapi.json</a>. Every route except <code>/status/liveness/</code> and <code>/status/readiness/</code> needs <code>Authorization: Bearer &lt;token&gt;</code>.</p>
        <div id="routes">Loading…</div>
        <script>
        const esc = s => String(s ?? '').replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
        const ref = s => s && s.$ref ? s.$ref.split('/').pop() : (s && s.type ? s.type + (s.items ? '[' + ref(s.items) + ']' : '') : '');
        fetch('openapi.json').then(r => r.json()).then(doc => {
          const byTag = {};
          for (const [path, item] of Object.entries(doc.paths || {}))
            for (const [method, op] of Object.entries(item))
              if (['get','post','put','delete','patch'].includes(method))
                (byTag[(op.tags || ['other'])[0]] ??= []).push({path, method, op, shared: item.parameters || []});
          let html = '';
          for (const [tag, ops] of Object.entries(byTag)) {
            html += `<h2>${esc(tag)}</h2>`;
            for (const {path, method, op, shared} of ops) {
              const params = [...shared, ...(op.parameters || [])];
              html += `<details><summary><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code> ${esc(op.summary)}</summary>`;
              if (params.length) html += '<table><tr><th>parameter</th><th>in</th><th>type</th><th>required</th></tr>' +
                params.map(p => `<tr><td>${esc(p.name)}</td><td>${esc(p.in)}</td><td>${esc(ref(p.schema))}</td><td>${p.required ? 'yes' : ''}</td></tr>`).join('') + '</table>';
              if (op.requestBody) html += '<p>Body: ' + Object.entries(op.requestBody.content || {}).map(([t, c]) => `<code>${esc(t)}</code> ${esc(ref(c.schema))}`).join(', ') + '</p>';
              html += '<p>Responses: ' + Object.entries(op.responses || {}).map(([code, r]) =>
                `<b>${esc(code)}</b> ` + Object.values(r.content || {}).map(c => esc(ref(c.schema))).join(' ')).join('; ') + '</p></details>';
            }
          }
          html += '<h2>Schemas</h2>';
          for (const [name, schema] of Object.entries((doc.components || {}).schemas || {}))
            html += `<details><summary><code>${esc(name)}</code></summary><pre>${esc(JSON.stringify(schema, null, 2))}</pre></details>`;
          document.getElementById('routes').innerHTML = html;
        }).catch(e => { document.getElementById('routes').textContent = 'Cannot load openapi.json: ' + e; });
        </script>
        </body>
        </html>
        """;
}
