// docker-compose.yml and the Dockerfile, checked without a Docker engine: the compose implementation
// parses and resolves the file (`config`), and the result has the shape docs/deploy.md promises.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { searchAttributeTypes } from '../../src/temporal/search-attributes';

const root = path.resolve(__dirname, '../..');
const secrets = {
  POSTGRES_PASSWORD: 'pw',
  PINFLOW_SECRET: 'x'.repeat(40),
  TOKEN_ENCRYPTION_KEYS: `t1:${Buffer.alloc(32, 1).toString('base64')}`,
  ENCRYPTION_KEY: `p1:${Buffer.alloc(32, 2).toString('base64')}`,
  CODEC_AUTH_TOKEN: 'codec-token-0123456789',
};

/** `docker compose` (v2 plugin) or `docker-compose` (v1, Debian's package), whichever is installed. */
function composeCommand(): string[] | undefined {
  const works = (cmd: string[]): boolean => spawnSync(cmd[0]!, [...cmd.slice(1), 'version'], { stdio: 'ignore' }).status === 0;
  return [['docker', 'compose'], ['docker-compose']].find(works);
}

interface Service {
  image?: string;
  container_name?: string;
  ports?: unknown[];
  command?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  entrypoint?: string[];
}

function resolveCompose(cmd: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const envNoSecrets = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(k in secrets)));
  const result = spawnSync(cmd[0]!, [...cmd.slice(1), '-f', path.join(root, 'docker-compose.yml'), '--project-directory', root, 'config'], {
    cwd: root,
    env: { ...envNoSecrets, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const seconds = (d: string | undefined): number => {
  const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(d ?? '');
  return m ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : NaN;
};

describe('docker-compose.yml', () => {
  const cmd = composeCommand();

  if (!cmd) {
    it('SKIPPED — no compose implementation installed (apt-get install -y docker-compose): docker-compose.yml NOT validated', (t) => {
      t.skip('no `docker compose` or `docker-compose` on this machine: docker-compose.yml was NOT validated');
    });
    return;
  }

  it('resolves with the compose implementation, and lays out PostgreSQL, Temporal 1.29.1, its setup jobs, the Web UI, api and workers', () => {
    const { status, stdout, stderr } = resolveCompose(cmd, secrets);
    assert.equal(status, 0, stderr);
    const services = (parse(stdout) as { services: Record<string, Service> }).services;
    assert.deepEqual(Object.keys(services).sort(), [
      'api',
      'postgresql',
      'temporal',
      'temporal-admin-tools',
      'temporal-create-namespace',
      'temporal-search-attributes',
      'temporal-ui',
      'worker',
    ]);
    assert.equal(services.temporal!.image, 'temporalio/server:1.29.1');
    assert.equal(services.temporal!.environment!.DB, 'postgres12');
    assert.match(services['temporal-ui']!.image!, /^temporalio\/ui:\d+\.\d+\.\d+$/);
    assert.match(services['temporal-admin-tools']!.image!, /^temporalio\/admin-tools:1\.29\.1-/);

    const after = (name: string, dep: string): string | undefined => services[name]!.depends_on?.[dep]?.condition;
    assert.equal(after('temporal', 'temporal-admin-tools'), 'service_completed_successfully', 'the server starts on a set-up schema');
    assert.equal(after('temporal-create-namespace', 'temporal'), 'service_healthy');
    assert.equal(after('temporal-search-attributes', 'temporal-create-namespace'), 'service_completed_successfully');
    for (const app of ['api', 'worker']) {
      assert.equal(after(app, 'temporal-search-attributes'), 'service_completed_successfully', `${app} waits for the search attributes`);
      assert.equal(after(app, 'postgresql'), 'service_healthy');
      assert.ok(services[app]!.healthcheck, `${app} has a healthcheck`);
    }
    for (const name of ['postgresql', 'temporal']) assert.ok(services[name]!.healthcheck, `${name} has a healthcheck`);
  });

  it('runs one image twice — api and a worker that scales (no container_name, no host ports) and drains before it is killed', () => {
    const services = (parse(resolveCompose(cmd, secrets).stdout) as { services: Record<string, Service> }).services;
    const { api, worker } = services as { api: Service; worker: Service };
    assert.equal(api.image, worker.image);
    assert.deepEqual(api.command, ['api']);
    assert.deepEqual(worker.command, ['worker']);
    assert.equal(worker.container_name, undefined);
    assert.equal(worker.ports, undefined);
    const grace = Number(worker.environment!.WORKER_SHUTDOWN_GRACE_MS) / 1000;
    assert.ok(seconds(worker.stop_grace_period) > grace + 10, 'compose waits longer than the grace period plus the force time');
  });

  it("points the Web UI's codec endpoint at the api with the codec token, and lets the UI's origin in", () => {
    const services = (parse(resolveCompose(cmd, secrets).stdout) as { services: Record<string, Service> }).services;
    assert.equal(services['temporal-ui']!.environment!.TEMPORAL_CODEC_ENDPOINT, `http://localhost:3000/codec/${secrets.CODEC_AUTH_TOKEN}`);
    assert.equal(services.api!.environment!.CODEC_CORS_ORIGIN, 'http://localhost:8080');
    assert.equal(services.api!.environment!.CODEC_AUTH_TOKEN, secrets.CODEC_AUTH_TOKEN);
  });

  it('refuses to resolve without the secrets, naming the missing one', () => {
    const { status, stderr } = resolveCompose(cmd, { ...secrets, ENCRYPTION_KEY: '' });
    assert.notEqual(status, 0);
    assert.match(stderr, /ENCRYPTION_KEY/);
  });

  it('registers exactly the search attributes the code defines', () => {
    const script = fs.readFileSync(path.join(root, 'deploy/temporal/search-attributes.sh'), 'utf8');
    const pairs = /for pair in ([^;]+);/.exec(script)?.[1]!.trim().split(/\s+/) ?? [];
    assert.deepEqual(Object.fromEntries(pairs.map((p) => p.split(':') as [string, string])), searchAttributeTypes);
  });

  it('ships setup scripts that sh can parse', () => {
    for (const file of fs.readdirSync(path.join(root, 'deploy/temporal'))) {
      execFileSync('sh', ['-n', path.join(root, 'deploy/temporal', file)]);
    }
    execFileSync('sh', ['-n', path.join(root, 'deploy/docker-entrypoint.sh')]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');

  it('builds in stages, installs production dependencies only, prebuilds the workflow bundle, and runs as a non-root user in production mode', () => {
    assert.ok((dockerfile.match(/^FROM /gm) ?? []).length >= 3, 'multi-stage');
    assert.match(dockerfile, /npm ci --omit=dev/);
    assert.match(dockerfile, /tools\/bundle-workflows\.ts dist\/workflow-bundle\.js/);
    assert.match(dockerfile, /WORKFLOW_BUNDLE_PATH=\/app\/dist\/workflow-bundle\.js/);
    assert.match(dockerfile, /NODE_ENV=production/);
    assert.match(dockerfile, /^USER node$/m);
  });

  it('keeps tsx, which the image runs the code with, among the production dependencies', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of ['tsx', 'prom-client', '@fastify/cors', '@temporalio/worker'])
      assert.ok(pkg.dependencies[name], `${name} is a dependency`);
  });

  it('leaves local state and dependencies out of the build context', () => {
    const ignored = fs.readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', '.data', '.tools', '.git', '.env']) assert.ok(ignored.includes(entry), entry);
  });
});
