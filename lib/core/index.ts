// The building blocks: constructs and value objects for any set of microservices.
export { ProblemCode } from './problem-code';
export { type ProblemReport, ProblemSeverity } from './problem';
export { type IDeferredCheck, Problems } from './problems';
export { AppLabels, type AppLabelsProps } from './labels';
export { ContainerPort, PortProtocol } from './container-port';
export { HealthCheck, type HealthCheckOptions } from './health-check';
export { type EmptyDirOptions, Volume, type VolumeMount } from './volume';
export {
  DeploymentStrategy, type INodePortSource, Microservice, type MicroserviceProps, type MicroserviceServiceOptions, type ServicePortMapping, type WorkloadSecurityOptions,
} from './microservice';
export { type RollingUpdateOptions, type ShutdownOptions } from './shutdown';
export { Exposure } from './exposure';
export { NodePortRange } from './node-port-range';
export { NodePortAllocator } from './node-port-allocator';
export { ClusterDns, type ClusterDnsProps } from './cluster-dns';
export { ExternalNameService, type ExternalNameServiceProps } from './external-name-service';
export { IngressPolicy, type IngressPolicyProps } from './ingress-policy';
export {
  type BoundCredentials, type CredentialEnvValues, Credentials, type CredentialsBindOptions, type PasswordCredentialsProps, type SecretKeys,
} from './credentials';
export { type ClaimPersistenceProps, Persistence } from './persistence';
export { AppNamespace, type AppNamespaceProps, PodSecurityLevel } from './app-namespace';
export { Autoscaling, type AutoscalingProps } from './autoscaling';
export { DisruptionBudget, type DisruptionBudgetProps } from './disruption-budget';
export { type IWorkload, Workload, type WorkloadAttributes } from './workload';
export { Connection, type ConnectionOptions, type ConnectionProps } from './connection';
export { type ExternalObjectOptions, ExternalObjects } from './declarations';
