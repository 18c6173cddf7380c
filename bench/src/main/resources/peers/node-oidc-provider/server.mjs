// node-oidc-provider as a peer of the devicelogin benchmarks (bench/.../NodeOidcProviderTarget).
// Usage: node server.mjs PORT
// The device flow on, one public client, and otherwise the library's defaults: the in-memory
// adapter it ships with and the signing keys it generates at start.
import Provider from 'oidc-provider';

const port = Number.parseInt(process.argv[2], 10);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`usage: node server.mjs PORT (got ${process.argv[2]})`);
  process.exit(2);
}

const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'bench-cli',
      token_endpoint_auth_method: 'none',
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      // A device-only client: no redirection at all, which the library requires to be said out loud.
      redirect_uris: [],
      response_types: [],
    },
  ],
  features: {
    deviceFlow: { enabled: true },
  },
});

provider.on('server_error', (ctx, err) => {
  console.error('server_error', ctx.method, ctx.path, err);
});

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`node-oidc-provider listening on ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
