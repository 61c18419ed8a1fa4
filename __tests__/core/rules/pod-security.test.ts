import { JsonObject } from '../../../lib/core/model';
import { enforcedLevelOf, podSecurityViolations } from '../../../lib/core/rules/pod-security';

/** A pod that passes restricted: non-root, RuntimeDefault seccomp, no escalation, every capability dropped. */
const SAFE_CONTAINER: JsonObject = { name: 'app', image: 'app:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } };
const SAFE_POD: JsonObject = { securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } }, containers: [SAFE_CONTAINER] };

/** The safe pod with `change` applied to its spec, or to its container's securityContext. */
const pod = (change: JsonObject = {}): JsonObject => ({ ...SAFE_POD, ...change });
const withContainer = (securityContext: JsonObject, extra: JsonObject = {}): JsonObject =>
  pod({ containers: [{ ...SAFE_CONTAINER, ...extra, securityContext: { ...(SAFE_CONTAINER.securityContext as JsonObject), ...securityContext } }] });

/** `check: detail` of each violation of `level`. */
const broken = (level: 'baseline' | 'restricted', spec: JsonObject, metadata: JsonObject = {}) =>
  podSecurityViolations(level, metadata, spec).map(v => `${v.check}: ${v.detail}`);

describe('Pod Security Standards of Kubernetes 1.28 (lib/core/rules/pod-security)', () => {
  test('GIVEN a pod hardened as restricted asks THEN it passes every level', () => {
    expect(broken('restricted', pod())).toEqual([]);
    expect(broken('baseline', pod())).toEqual([]);
    expect(podSecurityViolations('privileged', {}, { hostNetwork: true, containers: [] })).toEqual([]);
  });

  test('GIVEN a Namespace\'s labels THEN its enforced level is read, and anything else is no level', () => {
    expect(enforcedLevelOf({ 'pod-security.kubernetes.io/enforce': 'restricted' })).toBe('restricted');
    expect(enforcedLevelOf({ 'pod-security.kubernetes.io/enforce': 'baseline' })).toBe('baseline');
    expect(enforcedLevelOf({ 'pod-security.kubernetes.io/enforce': 'privileged' })).toBe('privileged');
    expect(enforcedLevelOf({ 'pod-security.kubernetes.io/warn': 'restricted' })).toBeUndefined();
    expect(enforcedLevelOf({ 'pod-security.kubernetes.io/enforce': 'strict' })).toBeUndefined();
  });

  describe('baseline: each check, with upstream\'s detail', () => {
    const cases: Array<[string, JsonObject, JsonObject, string[]]> = [
      ['a privileged container', withContainer({ privileged: true }), {}, ['privileged: container "app" must not set securityContext.privileged=true']],
      ['the host\'s network, PID and IPC namespaces', pod({ hostNetwork: true, hostPID: true, hostIPC: true }), {}, ['hostNamespaces: hostNetwork=true, hostPID=true, hostIPC=true']],
      ['a hostPort', withContainer({}, { ports: [{ containerPort: 80, hostPort: 8080 }] }), {}, ['hostPorts: container "app" uses hostPort 8080']],
      ['a hostPath volume', pod({ volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] }), {}, ['hostPathVolumes: volume "logs"']],
      ['a capability beyond the default set', withContainer({ capabilities: { drop: ['ALL'], add: ['NET_ADMIN', 'CHOWN'] } }), {}, ['capabilities_baseline: container "app" must not include "NET_ADMIN" in securityContext.capabilities.add']],
      ['an unsafe sysctl (tcp_keepalive_time is safe from 1.29 only)', pod({ securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }, { name: 'net.ipv4.tcp_keepalive_time', value: '60' }, { name: 'kernel.msgmax', value: '1' }] } }), {},
        ['sysctls: net.ipv4.tcp_keepalive_time, kernel.msgmax']],
      ['an unmasked /proc', withContainer({ procMount: 'Unmasked' }), {}, ['procMount: container "app" must not set securityContext.procMount to "Unmasked"']],
      ['a custom SELinux type and user', pod({ securityContext: { seLinuxOptions: { type: 'spc_t', user: 'root' } }, containers: [SAFE_CONTAINER] }), {},
        ['seLinuxOptions: pod set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set']],
      ['an Unconfined seccomp profile on a container', withContainer({ seccompProfile: { type: 'Unconfined' } }), {}, ['seccompProfile_baseline: container "app" must not set securityContext.seccompProfile.type to "Unconfined"']],
      ['an unconfined AppArmor annotation', pod(), { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } },
        ['appArmorProfile: container.apparmor.security.beta.kubernetes.io/app="unconfined"']],
      ['a Windows HostProcess pod', pod({ securityContext: { windowsOptions: { hostProcess: true } } }), {}, ['windowsHostProcess: pod must not set securityContext.windowsOptions.hostProcess=true']],
    ];
    test.each(cases)('GIVEN %s THEN baseline refuses it', (_title, spec, metadata, expected) => {
      expect(broken('baseline', spec, metadata)).toEqual(expected);
    });

    test('GIVEN what baseline allows (default capabilities, safe sysctls, RuntimeDefault or Localhost, Default procMount, container_t) THEN it passes, run as root or not', () => {
      expect(broken('baseline', {
        securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports', value: '8080' }], seLinuxOptions: { type: 'container_t', level: 's0:c1' } },
        containers: [{ name: 'root', securityContext: { runAsUser: 0, capabilities: { add: ['NET_BIND_SERVICE', 'SYS_CHROOT'] }, procMount: 'Default', seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } }],
        volumes: [{ name: 'nfs', nfs: { server: 'n', path: '/' } }],
      }, { annotations: { 'container.apparmor.security.beta.kubernetes.io/root': 'runtime/default' } })).toEqual([]);
    });
  });

  describe('restricted: each check, with upstream\'s detail', () => {
    const cases: Array<[string, JsonObject, string[]]> = [
      ['a volume of a restricted type (and hostPath, once)', pod({ volumes: [{ name: 'data', nfs: { server: 'n', path: '/' } }, { name: 'logs', hostPath: { path: '/var/log' } }, { name: 'tmp', emptyDir: {} }] }),
        ['restrictedVolumes: volumes "data", "logs" use restricted volume types "hostPath", "nfs"']],
      ['a container that may escalate privileges (unset)', pod({ containers: [{ name: 'app', securityContext: { capabilities: { drop: ['ALL'] } } }] }),
        ['allowPrivilegeEscalation: container "app" must set securityContext.allowPrivilegeEscalation=false']],
      ['no runAsNonRoot on the pod or the container', pod({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }),
        ['runAsNonRoot: pod or container "app" must set securityContext.runAsNonRoot=true']],
      ['runAsNonRoot=false on a container, true on the pod', withContainer({ runAsNonRoot: false }), ['runAsNonRoot: container "app" must not set securityContext.runAsNonRoot=false']],
      ['runAsUser 0', withContainer({ runAsUser: 0 }), ['runAsUser: container "app" must not set runAsUser=0']],
      ['no seccomp profile', pod({ securityContext: { runAsNonRoot: true } }), ['seccompProfile_restricted: pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"']],
      ['capabilities not dropped, and one added beyond NET_BIND_SERVICE (CHOWN is in baseline\'s set)', withContainer({ capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'] } }),
        ['capabilities_restricted: container "app" must set securityContext.capabilities.drop=["ALL"]; container "app" must not include "CHOWN" in securityContext.capabilities.add']],
    ];
    test.each(cases)('GIVEN %s THEN restricted refuses it', (_title, spec, expected) => {
      expect(broken('restricted', spec)).toEqual(expected);
      // None of these is a baseline check: baseline lets the pod in.
      expect(broken('baseline', spec).filter(v => !v.startsWith('hostPathVolumes'))).toEqual([]);
    });

    test('GIVEN an init container THEN it is held to the same checks, visited first', () => {
      const spec = pod({ initContainers: [{ name: 'migrate', image: 'm:1' }] });
      expect(broken('restricted', spec)).toEqual([
        'allowPrivilegeEscalation: container "migrate" must set securityContext.allowPrivilegeEscalation=false',
        'capabilities_restricted: container "migrate" must set securityContext.capabilities.drop=["ALL"]',
      ]);
    });

    test('GIVEN a Windows pod THEN escalation, seccomp and capabilities are not asked of it', () => {
      expect(broken('restricted', { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'app' }] })).toEqual([]);
    });
  });
});
