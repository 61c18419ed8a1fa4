// The Pod Security Standards as the Pod Security admission of Kubernetes 1.28
// enforces them (k8s.io/pod-security-admission, policy/check_*.go): the one
// place they are written. Each check reads a pod's metadata and spec the way
// upstream does and, when the pod breaks it, says so with upstream's reason
// and detail, so a message reads like the API server's refusal. Pure
// predicates: how a violation is reported stays with the caller.

import { arr, JsonObject, num, obj, objs, str } from '../model/json';

/** The label of a Namespace that sets the level its pods are held to, refused at admission when broken. */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/** The Kubernetes version whose checks these are. */
export const POD_SECURITY_VERSION = '1.28';

/** A level that holds pods to checks (`privileged` holds them to none). */
export type PodSecurityCheckedLevel = 'baseline' | 'restricted';

/** One check of the standard a pod breaks. */
export interface PodSecurityViolation {
  /** Upstream's check id, e.g. `runAsNonRoot`. */
  readonly check: string;
  /** The lowest level that holds pods to it. */
  readonly level: PodSecurityCheckedLevel;
  /** Upstream's ForbiddenReason, e.g. `runAsNonRoot != true`. */
  readonly reason: string;
  /** Upstream's ForbiddenDetail: which containers or fields break it. */
  readonly detail: string;
}

/** The level a Namespace's labels enforce: `privileged`, `baseline` or `restricted`; undefined when unset or not a level. */
export function enforcedLevelOf(labels: Record<string, string>): 'privileged' | PodSecurityCheckedLevel | undefined {
  const level = labels[POD_SECURITY_ENFORCE_LABEL];
  return level === 'privileged' || level === 'baseline' || level === 'restricted' ? level : undefined;
}

/** The capabilities baseline lets a container add: the container runtime's default set. */
export const BASELINE_CAPABILITIES: readonly string[] = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];

/**
 * The sysctls baseline allows in 1.28: namespaced and isolated from other pods.
 * The tcp_keepalive and tcp_fin_timeout ones come in 1.29, tcp_rmem and tcp_wmem in 1.32.
 */
export const SAFE_SYSCTLS: readonly string[] = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ip_local_reserved_ports'];

/** The volume types restricted allows in 1.28 (the `image` volume comes in 1.31). */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/** The SELinux types baseline allows (`container_engine_t` comes in 1.31). */
export const SELINUX_TYPES: readonly string[] = ['container_t', 'container_init_t', 'container_kvm_t'];

const CAPS = new Set(BASELINE_CAPABILITIES);
const SYSCTLS = new Set(SAFE_SYSCTLS);
const VOLUMES = new Set(RESTRICTED_VOLUME_TYPES);
const SELINUX = new Set(['', ...SELINUX_TYPES]);

interface Check {
  readonly id: string;
  readonly level: PodSecurityCheckedLevel;
  /** Checks of baseline that this one of restricted replaces (stricter on the same fields). */
  readonly overrides?: readonly string[];
  readonly run: (pod: Pod) => { reason: string; detail: string } | undefined;
}

/** A pod as the checks read it. */
interface Pod {
  readonly metadata: JsonObject;
  readonly spec: JsonObject;
  /** Its pod-level securityContext, or `{}`. */
  readonly security: JsonObject;
  /** Init containers, containers, ephemeral containers: the order upstream visits them in. */
  readonly containers: JsonObject[];
  readonly windows: boolean;
}

const nameOf = (c: JsonObject) => str(c.name) ?? '';
const securityOf = (c: JsonObject) => obj(c.securityContext);
const quote = (names: readonly string[]) => names.map(n => `"${n}"`).join(', ');
const containers = (names: readonly string[]) => `${names.length === 1 ? 'container' : 'containers'} ${quote(names)}`;
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** The containers for which `bad` holds. */
function badContainers(pod: Pod, bad: (c: JsonObject) => boolean): string[] {
  return pod.containers.filter(bad).map(nameOf);
}

/** `pod and containers "a", "b"`: who sets a forbidden value. */
function setters(podBad: boolean, names: readonly string[]): string {
  return [...(podBad ? ['pod'] : []), ...(names.length > 0 ? [containers(names)] : [])].join(' and ');
}

const CHECKS: readonly Check[] = [
  {
    id: 'privileged', level: 'baseline',
    run: pod => {
      const bad = badContainers(pod, c => securityOf(c)?.privileged === true);
      return bad.length === 0 ? undefined : { reason: 'privileged', detail: `${containers(bad)} must not set securityContext.privileged=true` };
    },
  },
  {
    id: 'hostNamespaces', level: 'baseline',
    run: pod => {
      const bad = ['hostNetwork', 'hostPID', 'hostIPC'].filter(f => pod.spec[f] === true).map(f => `${f}=true`);
      return bad.length === 0 ? undefined : { reason: 'host namespaces', detail: bad.join(', ') };
    },
  },
  {
    id: 'hostPorts', level: 'baseline',
    run: pod => {
      const ports: string[] = [];
      const bad = badContainers(pod, c => {
        const used = objs(c.ports).map(p => num(p.hostPort) ?? 0).filter(p => p !== 0);
        ports.push(...used.map(String));
        return used.length > 0;
      });
      const list = sorted(ports);
      return bad.length === 0 ? undefined : {
        reason: 'hostPort',
        detail: `${containers(bad)} ${bad.length === 1 ? 'uses' : 'use'} ${list.length === 1 ? 'hostPort' : 'hostPorts'} ${list.join(', ')}`,
      };
    },
  },
  {
    id: 'hostPathVolumes', level: 'baseline',
    run: pod => {
      const bad = objs(pod.spec.volumes).filter(v => obj(v.hostPath) !== undefined).map(nameOf);
      return bad.length === 0 ? undefined : { reason: 'hostPath volumes', detail: `${bad.length === 1 ? 'volume' : 'volumes'} ${quote(bad)}` };
    },
  },
  {
    id: 'capabilities_baseline', level: 'baseline',
    run: pod => {
      const added: string[] = [];
      const bad = badContainers(pod, c => {
        const extra = addedCapabilities(c).filter(cap => !CAPS.has(cap));
        added.push(...extra);
        return extra.length > 0;
      });
      return bad.length === 0 ? undefined : {
        reason: 'non-default capabilities',
        detail: `${containers(bad)} must not include ${quote(sorted(added))} in securityContext.capabilities.add`,
      };
    },
  },
  {
    id: 'sysctls', level: 'baseline',
    run: pod => {
      const bad = objs(pod.security.sysctls).map(s => str(s.name) ?? '').filter(name => !SYSCTLS.has(name));
      return bad.length === 0 ? undefined : { reason: 'forbidden sysctls', detail: bad.join(', ') };
    },
  },
  {
    id: 'procMount', level: 'baseline',
    run: pod => {
      const types: string[] = [];
      const bad = badContainers(pod, c => {
        const mount = str(securityOf(c)?.procMount);
        if (mount !== undefined && mount !== 'Default') {
          types.push(mount);
          return true;
        }
        return false;
      });
      return bad.length === 0 ? undefined : { reason: 'procMount', detail: `${containers(bad)} must not set securityContext.procMount to ${quote(sorted(types))}` };
    },
  },
  {
    id: 'seLinuxOptions', level: 'baseline',
    run: pod => {
      const types: string[] = [];
      let user = false;
      let role = false;
      const valid = (opts: JsonObject | undefined): boolean => {
        if (opts === undefined) {
          return true;
        }
        const type = str(opts.type) ?? '';
        const typeOk = SELINUX.has(type);
        if (!typeOk) {
          types.push(type);
        }
        user ||= (str(opts.user) ?? '') !== '';
        role ||= (str(opts.role) ?? '') !== '';
        return typeOk && (str(opts.user) ?? '') === '' && (str(opts.role) ?? '') === '';
      };
      const podBad = !valid(obj(pod.security.seLinuxOptions));
      const bad = badContainers(pod, c => !valid(obj(securityOf(c)?.seLinuxOptions)));
      if (!podBad && bad.length === 0) {
        return undefined;
      }
      const what = [
        ...(types.length > 0 ? [`${types.length === 1 ? 'type' : 'types'} ${quote(sorted(types))}`] : []),
        ...(user ? ['user may not be set'] : []),
        ...(role ? ['role may not be set'] : []),
      ];
      return { reason: 'seLinuxOptions', detail: `${setters(podBad, bad)} set forbidden securityContext.seLinuxOptions: ${what.join('; ')}` };
    },
  },
  {
    id: 'seccompProfile_baseline', level: 'baseline',
    run: pod => {
      const values: string[] = [];
      const invalid = (sc: JsonObject | undefined) => {
        const profile = obj(sc?.seccompProfile);
        const type = str(profile?.type) ?? '';
        if (profile !== undefined && !validSeccomp(type)) {
          values.push(type);
          return true;
        }
        return false;
      };
      const podBad = invalid(pod.security);
      const bad = badContainers(pod, c => invalid(securityOf(c)));
      return !podBad && bad.length === 0 ? undefined
        : { reason: 'seccompProfile', detail: `${setters(podBad, bad)} must not set securityContext.seccompProfile.type to ${quote(sorted(values))}` };
    },
  },
  {
    // 1.28 reads the beta annotations; the appArmorProfile field (1.30) is read as well, held to the same rule.
    id: 'appArmorProfile', level: 'baseline',
    run: pod => {
      const forbidden: string[] = [];
      for (const [k, v] of Object.entries(obj(pod.metadata.annotations) ?? {})) {
        const profile = String(v);
        if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') && !(profile === '' || profile === 'runtime/default' || profile.startsWith('localhost/'))) {
          forbidden.push(`${k}="${profile}"`);
        }
      }
      const invalid = (sc: JsonObject | undefined) => {
        const profile = obj(sc?.appArmorProfile);
        const type = str(profile?.type) ?? '';
        if (profile !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost') {
          forbidden.push(`appArmorProfile.type="${type}"`);
          return true;
        }
        return false;
      };
      invalid(pod.security);
      pod.containers.forEach(c => invalid(securityOf(c)));
      return forbidden.length === 0 ? undefined : { reason: 'forbidden AppArmor profile', detail: sorted(forbidden).join(', ') };
    },
  },
  {
    id: 'windowsHostProcess', level: 'baseline',
    run: pod => {
      const hostProcess = (sc: JsonObject | undefined) => obj(sc?.windowsOptions)?.hostProcess === true;
      const podBad = hostProcess(pod.security);
      const bad = badContainers(pod, c => hostProcess(securityOf(c)));
      return !podBad && bad.length === 0 ? undefined : { reason: 'hostProcess', detail: `${setters(podBad, bad)} must not set securityContext.windowsOptions.hostProcess=true` };
    },
  },
  {
    id: 'restrictedVolumes', level: 'restricted', overrides: ['hostPathVolumes'],
    run: pod => {
      const types: string[] = [];
      const bad = objs(pod.spec.volumes).filter(v => {
        if (RESTRICTED_VOLUME_TYPES.some(t => v[t] !== undefined && v[t] !== null)) {
          return false;
        }
        types.push(Object.keys(v).find(k => k !== 'name' && !VOLUMES.has(k)) ?? 'unknown');
        return true;
      }).map(nameOf);
      const list = sorted(types);
      return bad.length === 0 ? undefined : {
        reason: 'restricted volume types',
        detail: `${bad.length === 1 ? 'volume' : 'volumes'} ${quote(bad)} ${bad.length === 1 ? 'uses' : 'use'} restricted ${list.length === 1 ? 'volume type' : 'volume types'} ${quote(list)}`,
      };
    },
  },
  {
    id: 'allowPrivilegeEscalation', level: 'restricted',
    run: pod => {
      const bad = pod.windows ? [] : badContainers(pod, c => securityOf(c)?.allowPrivilegeEscalation !== false);
      return bad.length === 0 ? undefined : { reason: 'allowPrivilegeEscalation != false', detail: `${containers(bad)} must set securityContext.allowPrivilegeEscalation=false` };
    },
  },
  {
    id: 'runAsNonRoot', level: 'restricted',
    run: pod => {
      const podValue = pod.security.runAsNonRoot;
      const podBad = podValue === false;
      const explicit = badContainers(pod, c => securityOf(c)?.runAsNonRoot === false);
      if (podBad || explicit.length > 0) {
        return { reason: 'runAsNonRoot != true', detail: `${setters(podBad, explicit)} must not set securityContext.runAsNonRoot=false` };
      }
      const implicit = podValue === true ? [] : badContainers(pod, c => typeof securityOf(c)?.runAsNonRoot !== 'boolean');
      return implicit.length === 0 ? undefined
        : { reason: 'runAsNonRoot != true', detail: `pod or ${containers(implicit)} must set securityContext.runAsNonRoot=true` };
    },
  },
  {
    id: 'runAsUser', level: 'restricted',
    run: pod => {
      const podBad = pod.security.runAsUser === 0;
      const bad = badContainers(pod, c => securityOf(c)?.runAsUser === 0);
      return !podBad && bad.length === 0 ? undefined : { reason: 'runAsUser=0', detail: `${setters(podBad, bad)} must not set runAsUser=0` };
    },
  },
  {
    id: 'seccompProfile_restricted', level: 'restricted', overrides: ['seccompProfile_baseline'],
    run: pod => {
      if (pod.windows) {
        return undefined;
      }
      const values: string[] = [];
      const typeOf = (sc: JsonObject | undefined) => {
        const profile = obj(sc?.seccompProfile);
        return profile === undefined ? undefined : str(profile.type) ?? '';
      };
      const podType = typeOf(pod.security);
      const podBad = podType !== undefined && !validSeccomp(podType);
      if (podBad) {
        values.push(podType);
      }
      const podSet = podType !== undefined && !podBad;
      const explicit = badContainers(pod, c => {
        const type = typeOf(securityOf(c));
        if (type !== undefined && !validSeccomp(type)) {
          values.push(type);
          return true;
        }
        return false;
      });
      if (podBad || explicit.length > 0) {
        return { reason: 'seccompProfile', detail: `${setters(podBad, explicit)} must not set securityContext.seccompProfile.type to ${quote(sorted(values))}` };
      }
      const implicit = podSet ? [] : badContainers(pod, c => typeOf(securityOf(c)) === undefined);
      return implicit.length === 0 ? undefined
        : { reason: 'seccompProfile', detail: `pod or ${containers(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` };
    },
  },
  {
    id: 'capabilities_restricted', level: 'restricted', overrides: ['capabilities_baseline'],
    run: pod => {
      if (pod.windows) {
        return undefined;
      }
      const forbidden: string[] = [];
      const missingDrop = badContainers(pod, c => !arr(obj(securityOf(c)?.capabilities)?.drop).includes('ALL'));
      const adding = badContainers(pod, c => {
        const extra = addedCapabilities(c).filter(cap => cap !== 'NET_BIND_SERVICE');
        forbidden.push(...extra);
        return extra.length > 0;
      });
      const details = [
        ...(missingDrop.length > 0 ? [`${containers(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`] : []),
        ...(adding.length > 0 ? [`${containers(adding)} must not include ${quote(sorted(forbidden))} in securityContext.capabilities.add`] : []),
      ];
      return details.length === 0 ? undefined : { reason: 'unrestricted capabilities', detail: details.join('; ') };
    },
  },
];

function addedCapabilities(c: JsonObject): string[] {
  return arr(obj(securityOf(c)?.capabilities)?.add).map(String);
}

function validSeccomp(type: string): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

/** The checks of a level: baseline's, and for restricted its own with the baseline ones it replaces left out. */
function checksOf(level: PodSecurityCheckedLevel): Check[] {
  if (level === 'baseline') {
    return CHECKS.filter(c => c.level === 'baseline');
  }
  const replaced = new Set(CHECKS.flatMap(c => c.overrides ?? []));
  return CHECKS.filter(c => !replaced.has(c.id));
}

const BASELINE = checksOf('baseline');
const RESTRICTED = checksOf('restricted');

function podOf(metadata: JsonObject, spec: JsonObject): Pod {
  return {
    metadata,
    spec,
    security: obj(spec.securityContext) ?? {},
    containers: [...objs(spec.initContainers), ...objs(spec.containers), ...objs(spec.ephemeralContainers)],
    windows: str(obj(spec.os)?.name) === 'windows',
  };
}

/**
 * The checks of `level` a pod breaks, in upstream's order (baseline's first);
 * none for `privileged`. `metadata` and `spec` are the pod's (a workload's pod
 * template), as in the manifest.
 */
export function podSecurityViolations(level: 'privileged' | PodSecurityCheckedLevel, metadata: JsonObject, spec: JsonObject): PodSecurityViolation[] {
  if (level === 'privileged') {
    return [];
  }
  const pod = podOf(metadata, spec);
  return (level === 'baseline' ? BASELINE : RESTRICTED).flatMap(check => {
    const result = check.run(pod);
    return result ? [{ check: check.id, level: check.level, ...result }] : [];
  });
}

/** The checks a pod breaks at both levels, each check run once (a fleet has thousands of pod templates). */
export function podSecurityAtLevels(metadata: JsonObject, spec: JsonObject): Record<PodSecurityCheckedLevel, PodSecurityViolation[]> {
  const pod = podOf(metadata, spec);
  const broken = new Map<Check, PodSecurityViolation>();
  for (const check of CHECKS) {
    const result = check.run(pod);
    if (result) {
      broken.set(check, { check: check.id, level: check.level, ...result });
    }
  }
  const at = (checks: Check[]) => (broken.size === 0 ? [] : checks.flatMap(c => broken.get(c) ?? []));
  return { baseline: at(BASELINE), restricted: at(RESTRICTED) };
}
