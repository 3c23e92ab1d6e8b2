// oidc-issuer.mjs: test-only OAuth2/OIDC token issuer (client_credentials) built on oauth2-mock-server 9.3.0.
// Configuration (all optional):
//   OIDC_PORT      TCP port, 0 = any free port       (default 8080)
//   OIDC_HOST      listen address                    (default 127.0.0.1)
//   OIDC_ISSUER    value of "iss" and base of URLs   (default http://<OIDC_HOST>:<OIDC_PORT>)
//   OIDC_AUDIENCE  value of "aud"                    (default firecrest-api)
//   OIDC_TOKEN_TTL lifetime in seconds (exp - iat)   (default 300)
//   OIDC_CLIENTS   id:secret:preferred_username,...  (default firecrest-demo:demo-secret:fireuser,firecrest-demo2:demo-secret2:fireuser2)
//   OIDC_KEY_FILE  private RSA JWK; loaded if present, else generated and written (same kid across restarts)
import { OAuth2Server, Events } from 'oauth2-mock-server';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const host = process.env.OIDC_HOST ?? '127.0.0.1';
const port = Number(process.env.OIDC_PORT ?? 8080);
const audience = process.env.OIDC_AUDIENCE ?? 'firecrest-api';
const ttl = Number(process.env.OIDC_TOKEN_TTL ?? 300);
const clients = new Map(
  (process.env.OIDC_CLIENTS ?? 'firecrest-demo:demo-secret:fireuser,firecrest-demo2:demo-secret2:fireuser2')
    .split(',').filter(Boolean).map((entry) => {
      const [id, secret, username] = entry.split(':');
      return [id, { secret, username }];
    }));

// Client credentials from HTTP Basic (client_secret_basic, form-urlencoded per RFC 6749 2.3.1) or the form (client_secret_post).
const formDecode = (s) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; } };
function credentials(req) {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (m) {
    const raw = Buffer.from(m[1], 'base64').toString('utf8');
    const i = raw.indexOf(':');
    if (i < 0) return {};
    return { id: formDecode(raw.slice(0, i)), secret: formDecode(raw.slice(i + 1)) };
  }
  return { id: req.body?.client_id, secret: req.body?.client_secret };
}

const server = new OAuth2Server();
const keyFile = process.env.OIDC_KEY_FILE;
if (keyFile && existsSync(keyFile)) {
  await server.issuer.keys.add(JSON.parse(readFileSync(keyFile, 'utf8')));
} else {
  const jwk = await server.issuer.keys.generate('RS256');
  if (keyFile) writeFileSync(keyFile, JSON.stringify(jwk), { mode: 0o600 });
}

server.service.on(Events.BeforeTokenSigning, (token, req) => {
  const { id } = credentials(req);
  const now = Math.floor(Date.now() / 1000);
  Object.assign(token.payload, {
    aud: audience,
    exp: now + ttl,
    sub: id,
    client_id: id,
    azp: id,
    preferred_username: clients.get(id)?.username,
  });
});

server.service.on(Events.BeforeResponse, (response, req) => {
  const { id, secret } = credentials(req);
  const client = clients.get(id);
  if (req.body?.grant_type !== 'client_credentials') {
    response.statusCode = 400;
    response.body = { error: 'unsupported_grant_type' };
  } else if (!client || client.secret !== secret) {
    response.statusCode = 401;
    response.body = { error: 'invalid_client', error_description: 'unknown client or wrong secret' };
  } else {
    response.body.expires_in = ttl;
  }
});

await server.start(port, host);
// Set after start so that OIDC_PORT=0 (OS-assigned port) works; left alone, 127.0.0.1 would become "localhost".
server.issuer.url = process.env.OIDC_ISSUER ?? `http://${host}:${server.address().port}`;
console.log(`oidc-issuer ready: issuer=${server.issuer.url} jwks=${server.issuer.url}/jwks token=${server.issuer.url}/token pid=${process.pid}`);

// Exit at once on SIGTERM/SIGINT (server.stop() would wait for idle keep-alive sockets, about 1 s).
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
