import { Credentials } from '../lib/core/credentials';
import { integerFinding } from '../lib/core/checks';
import { Finding, finding, placed } from '../lib/core/problem';
import { ProblemCode } from '../lib/core/problem-code';
import { SynthesisError } from '../lib/synth/synthesizer';

/** A mistake in the environment stops the App before it is built, reported as synth reports the App's. */
function refuse(f: Finding): never {
  throw new SynthesisError([placed('environment', f)]);
}

/** The environment variables the stack reads at synth time. */
export const ENV = {
  /** Name of an existing Secret with keys `username` and `password`; nothing is emitted for it. */
  DB_SECRET: 'VOTING_APP_DB_SECRET',
  /** Postgres user stored in the emitted Secret. */
  DB_USER: 'VOTING_APP_DB_USER',
  /** Postgres password stored in the emitted Secret. */
  DB_PASSWORD: 'VOTING_APP_DB_PASSWORD',
  /** Number of tenants of the fleet in dist/fleet/. */
  TENANTS: 'VOTING_APP_TENANTS',
} as const;

/**
 * What the stock images hard-code (`postgres://postgres:postgres@db/postgres`
 * in result, `Username=postgres;Password=postgres` in worker). This is the one
 * place the default lives: any other value needs rebuilt images.
 */
export const STOCK_IMAGE_CREDENTIALS = { username: 'postgres', password: 'postgres' } as const;

/** Credentials chosen from the environment, with what the user should know. */
export interface CredentialSettings {
  /** The credentials to use. */
  readonly credentials: Credentials;
  /** Warnings to print at synth time. */
  readonly warnings: string[];
}

/** Reads the database credentials from the environment (see {@link ENV}). */
export function credentialsFromEnv(env: Readonly<Record<string, string | undefined>>): CredentialSettings {
  const secret = env[ENV.DB_SECRET];
  const user = env[ENV.DB_USER];
  const password = env[ENV.DB_PASSWORD];
  if (secret !== undefined && secret !== '') {
    if (user !== undefined || password !== undefined) {
      refuse(finding(ProblemCode.CONFLICTING_SETTINGS, `${ENV.DB_SECRET} is set together with ${ENV.DB_USER}/${ENV.DB_PASSWORD}, so it is unclear which credentials to use`,
        `unset ${ENV.DB_USER} and ${ENV.DB_PASSWORD} (the existing Secret holds them), or unset ${ENV.DB_SECRET}`));
    }
    return { credentials: Credentials.fromSecretName(secret), warnings: [] };
  }
  const username = user ?? STOCK_IMAGE_CREDENTIALS.username;
  const pass = password ?? STOCK_IMAGE_CREDENTIALS.password;
  const warnings = username !== STOCK_IMAGE_CREDENTIALS.username || pass !== STOCK_IMAGE_CREDENTIALS.password
    ? [`the stock worker and result images connect as ${STOCK_IMAGE_CREDENTIALS.username}/${STOCK_IMAGE_CREDENTIALS.password}; with other credentials they cannot reach db until rebuilt (README: "Database credentials")`]
    : [];
  return { credentials: Credentials.fromPassword({ username, password: pass }), warnings };
}

/** The fleet size committed in dist/fleet/: small enough to review. */
export const DEFAULT_TENANTS = 3;

/** Reads the fleet size from the environment (see {@link ENV}). */
export function tenantsFromEnv(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env[ENV.TENANTS];
  if (raw === undefined || raw === '') {
    return DEFAULT_TENANTS;
  }
  if (!/^\d+$/.test(raw.trim())) {
    refuse(finding(ProblemCode.INVALID_VALUE, `${ENV.TENANTS} must be a whole number of tenants, got "${raw}"`, `set ${ENV.TENANTS} to an integer from 1 to 5000`));
  }
  const n = Number(raw);
  const outOfRange = integerFinding(ENV.TENANTS, n, 1, 5000);
  if (outOfRange !== undefined) {
    refuse(outOfRange);
  }
  return n;
}
