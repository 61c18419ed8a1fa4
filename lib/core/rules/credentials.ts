// Where a credential is written in plain text in a manifest: the one place
// each rule is written. Pure predicates only: how a problem is reported stays
// with the caller. Internal: not in lib/core/index.ts.

/**
 * Whether an env var's (or a flag's) name says it holds a credential: its
 * last word is one (DB_PASSWORD, PGPASSWORD, API_TOKEN, clientSecret, DB_PASS),
 * or it is the key of a secret (SECRET_KEY, AWS_SECRET_ACCESS_KEY,
 * PRIVATE_KEY, apiKey, api-key). Names where a credential word only qualifies
 * the last word hold a path, an address or a name (POSTGRES_PASSWORD_FILE,
 * OIDC_TOKEN_URL, SECRET_NAME, password-file).
 */
export function namesCredential(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().split(/[^A-Z0-9]+/).filter(w => w !== '');
  const last = words[words.length - 1] ?? '';
  // A credential word may be glued to what it belongs to (PGPASSWORD); PASS only alone, as BYPASS is none.
  return /(PASSWORD|PASSWD|SECRET|TOKEN)$/.test(last) || last === 'PASS'
    || (last === 'KEY' && words.slice(0, -1).some(w => w === 'SECRET' || w === 'PRIVATE' || w === 'API'));
}

/**
 * Whether `value` is only references to env vars, `$(VAR)`, which the kubelet
 * replaces in env values, command and args: no literal text. `$$(VAR)` is
 * the escaped, literal text `$(VAR)`.
 */
export function isOnlyReferences(value: string): boolean {
  return /^(\$\([-._a-zA-Z][-._a-zA-Z0-9]*\))+$/.test(value);
}

/** A password that is written, not referred to: not empty, and not only `$(VAR)` references. */
function isLiteralSecret(value: string): boolean {
  const unquoted = value.replace(/^(['"])(.*)\1$/, '$2');
  return unquoted !== '' && !isOnlyReferences(unquoted);
}

/** Where a literal password sits in a value. */
export type CredentialPlace = 'a URL' | 'a connection string';

// scheme://userinfo@host: the userinfo ends at the last "@" of the authority.
const URL_AUTHORITY = /[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#\s]*)/g;
// `password=x`, `Password=x;`, `pwd=x`, `?password=x&` in DSNs, ADO.NET and JDBC
// strings; the value may be quoted (libpq). A key that only starts so (password_file) is none.
const PASSWORD_KEY = /(?:^|[\s;&?])(?:password|passwd|pwd)\s*=\s*('[^']*'|"[^"]*"|[^\s;&]*)/gi;

/**
 * Where `value` holds a literal password: inside a URL (`postgres://app:hunter2@db/app`,
 * `redis://:hunter2@cache`) or a connection string (`Server=db;Password=hunter2;`,
 * `host=db password=hunter2`). None when the password is empty or only a
 * `$(VAR)` reference, or the URL names only a user (`https://user@host`).
 */
export function literalCredentialIn(value: string): CredentialPlace | undefined {
  for (const [, authority] of value.matchAll(URL_AUTHORITY)) {
    const at = authority.lastIndexOf('@');
    const userinfo = at < 0 ? '' : authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    if (colon >= 0 && isLiteralSecret(userinfo.slice(colon + 1))) {
      return 'a URL';
    }
  }
  for (const [, password] of value.matchAll(PASSWORD_KEY)) {
    if (isLiteralSecret(password)) {
      return 'a connection string';
    }
  }
  return undefined;
}

/** A literal credential in a command line: the argument at `index`, as a flag's value or inside a URL or connection string. */
export interface CommandLineCredential {
  readonly index: number;
  /** The flag whose value it is, e.g. `--password`; none for a URL or connection string. */
  readonly flag?: string;
  readonly place?: CredentialPlace;
}

const FLAG_WITH_VALUE = /^(--?[a-zA-Z][-_a-zA-Z0-9]*)=(.*)$/s;

/**
 * The literal credentials in `args` (or `command`): the value of a flag whose
 * name says credential, written `--password=hunter2`, and passwords in URLs
 * and connection strings. A `$(VAR)` reference is not a literal. A flag and
 * its value as two arguments (`--password hunter2`) are not told apart from a
 * switch and an operand (`--ask-password serve`), so they are left alone.
 */
export function literalCredentialsInCommandLine(args: readonly string[]): CommandLineCredential[] {
  const found: CommandLineCredential[] = [];
  args.forEach((arg, index) => {
    const flag = FLAG_WITH_VALUE.exec(arg);
    if (flag && namesCredential(flag[1]) && isLiteralSecret(flag[2])) {
      found.push({ index, flag: flag[1] });
      return;
    }
    const place = literalCredentialIn(arg);
    if (place !== undefined) {
      found.push({ index, place });
    }
  });
  return found;
}
