// node-oidc-provider as a peer of the devicelogin benchmarks (bench/.../NodeOidcProviderTarget).
// Usage: node server.mjs PORT
// The device flow on, one public client, the signing keys the library generates at start, and an
// in-memory store without a cap (below): the library's own development store keeps about 1,000
// entries, so a benchmark holding more device codes than that would measure invalid_grant answers
// for evicted codes rather than pending polls. A deployment would use Redis or a database instead.
import Provider from 'oidc-provider';

const stores = new Map();
const grantIndex = new Map();

// The adapter interface of oidc-provider: one instance per model name, payloads kept until they expire.
class UnboundedMemoryAdapter {
  constructor(name) {
    this.name = name;
    if (!stores.has(name)) stores.set(name, new Map());
    this.store = stores.get(name);
  }

  async upsert(id, payload, expiresIn) {
    const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : undefined;
    this.store.set(id, { payload, expiresAt });
    if (payload.grantId) {
      if (!grantIndex.has(payload.grantId)) grantIndex.set(payload.grantId, []);
      grantIndex.get(payload.grantId).push([this.name, id]);
    }
  }

  async find(id) {
    const entry = this.store.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.store.delete(id);
      return undefined;
    }
    return entry.payload;
  }

  async findByUserCode(userCode) {
    for (const [id, entry] of this.store) {
      if (entry.payload.userCode === userCode) return this.find(id);
    }
    return undefined;
  }

  async findByUid(uid) {
    for (const [id, entry] of this.store) {
      if (entry.payload.uid === uid) return this.find(id);
    }
    return undefined;
  }

  async consume(id) {
    const entry = this.store.get(id);
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    this.store.delete(id);
  }

  async revokeByGrantId(grantId) {
    for (const [name, id] of grantIndex.get(grantId) ?? []) stores.get(name)?.delete(id);
    grantIndex.delete(grantId);
  }
}

const port = Number.parseInt(process.argv[2], 10);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`usage: node server.mjs PORT (got ${process.argv[2]})`);
  process.exit(2);
}

const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  adapter: UnboundedMemoryAdapter,
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
