import { EnvValue, ISecret, Secret } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KubeSecret } from './kube-objects';
import { nameFinding, present } from './checks';
import { Finding, finding } from './problem';
import { ProblemCode } from './problem-code';
import { Problems } from './problems';
import { isSecretKey } from './rules/names';
import { AppLabels } from './labels';
import { ExternalObjects } from './declarations';

/** Which keys of a Secret hold the user name and the password. */
export interface SecretKeys {
  /**
   * Key of the user name.
   * @default 'username'
   */
  readonly usernameKey?: string;
  /**
   * Key of the password.
   * @default 'password'
   */
  readonly passwordKey?: string;
}

/** A user name and password to be stored in a Secret the app creates. */
export interface PasswordCredentialsProps {
  /**
   * The database user.
   * @default 'postgres'
   */
  readonly username?: string;
  /** The password. Read it from the environment or a vault at synth time; never write it in code. */
  readonly password: string;
  /**
   * Name of the Secret to create.
   * @default 'db-credentials'
   */
  readonly secretName?: string;
}

/** Where a bound set of credentials lives. */
export interface BoundCredentials {
  /** The Secret holding the values. */
  readonly secret: ISecret;
  /** Key of the user name in the Secret. */
  readonly usernameKey: string;
  /** Key of the password in the Secret. */
  readonly passwordKey: string;
}

/** Options for binding credentials into a namespace. */
export interface CredentialsBindOptions {
  /**
   * Namespace of the Secret.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** Labels of the installation the Secret belongs to. */
  readonly labels: AppLabels;
}

/**
 * Database credentials, always delivered through a Secret.
 *
 * Follows `aws-rds.Credentials`: a value object chosen with a static factory,
 * turned into a Secret (or a reference to one) only when a construct uses it.
 */
export abstract class Credentials {
  /**
   * Credentials the app stores in a new Secret.
   *
   * The value ends up in the synthesized Secret, as with any Secret made by
   * manifests; use {@link fromSecret} to keep it out of the output altogether.
   */
  public static fromPassword(props: PasswordCredentialsProps): Credentials {
    return new PasswordCredentials(props);
  }

  /** Credentials in a Secret that already exists in the cluster; nothing is emitted for it. */
  public static fromSecret(secret: ISecret, keys: SecretKeys = {}): Credentials {
    return new ExistingSecretCredentials(secret.name, keys, secret);
  }

  /** Like {@link fromSecret}, for configuration that only knows the Secret's name. */
  public static fromSecretName(secretName: string, keys: SecretKeys = {}): Credentials {
    return new ExistingSecretCredentials(secretName, keys);
  }

  /** What is wrong with the credentials, for the construct that uses them to report. @internal */
  public abstract readonly _findings: readonly Finding[];

  /** The env values that deliver bound credentials to a container: `secretKeyRef`s, never literals. */
  public static envValues(creds: BoundCredentials): CredentialEnvValues {
    return credentialEnv(creds);
  }

  /** Makes the Secret, or refers to the existing one, under `scope`; what is wrong with the credentials is reported there. */
  public abstract bind(scope: Construct, options: CredentialsBindOptions): BoundCredentials;
}

/** The env values of a user name and a password read from a Secret. */
export interface CredentialEnvValues {
  /** The user name. */
  readonly username: EnvValue;
  /** The password. */
  readonly password: EnvValue;
}

/** The env values that deliver bound credentials to a container. @internal */
export function credentialEnv(creds: BoundCredentials): CredentialEnvValues {
  return {
    username: creds.secret.envValue(creds.usernameKey),
    password: creds.secret.envValue(creds.passwordKey),
  };
}

function keyFindings(usernameKey: string, passwordKey: string): Finding[] {
  return present(
    ...[usernameKey, passwordKey].map(key => isSecretKey(key) ? undefined
      : finding(ProblemCode.INVALID_NAME, `Secret key "${key}" is not valid (letters, digits, "-", "_" and "." only)`, 'use a key such as "password"')),
    usernameKey !== passwordKey ? undefined : finding(ProblemCode.DUPLICATE, `user name and password use the same Secret key "${usernameKey}"`, 'give them distinct keys'),
  );
}

class PasswordCredentials extends Credentials {
  public readonly _findings: readonly Finding[];
  /** The Secret's `data`, encoded once: a fleet binds one Credentials in every tenant. */
  private encoded?: { readonly username: string; readonly password: string };

  constructor(private readonly props: PasswordCredentialsProps) {
    super();
    this._findings = present(
      props.password.length > 0 ? undefined
        : finding(ProblemCode.INVALID_VALUE, 'the database password of Credentials.fromPassword is empty', 'set a non-empty password (see README: "Database credentials")'),
      (props.username ?? 'postgres').length > 0 ? undefined
        : finding(ProblemCode.INVALID_VALUE, 'the database user name of Credentials.fromPassword is empty', 'set a user name, e.g. "postgres"'),
      nameFinding('Secret name of Credentials.fromPassword', props.secretName ?? 'db-credentials'),
    );
  }

  public bind(scope: Construct, options: CredentialsBindOptions): BoundCredentials {
    Problems.of(scope)._adopt(this);
    const username = this.props.username ?? 'postgres';
    const name = this.props.secretName ?? 'db-credentials';
    // `data` (base64), not `stringData`: the API server folds stringData into
    // data, so a manifest with stringData reports a change on every apply.
    const base64 = (v: string) => Buffer.from(v, 'utf-8').toString('base64');
    const encoded = this.encoded ??= { username: base64(username), password: base64(this.props.password) };
    new KubeSecret(scope, 'Secret', {
      metadata: { name, namespace: options.namespace, labels: options.labels.withName(name, 'credentials').all },
      type: 'Opaque',
      data: { username: encoded.username, password: encoded.password },
    });
    const secret = Secret.fromSecretName(scope, 'SecretRef', name);
    return { secret, usernameKey: 'username', passwordKey: 'password' };
  }
}

class ExistingSecretCredentials extends Credentials {
  public readonly _findings: readonly Finding[];
  private readonly keys: { usernameKey: string; passwordKey: string };

  constructor(private readonly secretName: string, keys: SecretKeys, private readonly secret?: ISecret) {
    super();
    this.keys = { usernameKey: keys.usernameKey ?? 'username', passwordKey: keys.passwordKey ?? 'password' };
    this._findings = [
      ...present(nameFinding(`Secret name of Credentials.fromSecret(${secretName})`, secretName)),
      ...keyFindings(this.keys.usernameKey, this.keys.passwordKey),
    ];
  }

  public bind(scope: Construct, options: CredentialsBindOptions): BoundCredentials {
    Problems.of(scope)._adopt(this);
    const secret = this.secret ?? Secret.fromSecretName(scope, 'ExistingSecret', this.secretName);
    ExternalObjects.secret(scope, this.secretName, { namespace: options.namespace, keys: [this.keys.usernameKey, this.keys.passwordKey] });
    return { secret, ...this.keys };
  }
}
