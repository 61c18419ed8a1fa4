// Docker's voting app, built from the building blocks of ../core. Its five components
// (vote.ts ... postgres.ts) are internal: VotingApp offers their workloads.
export { type BallotOptions } from './vote';
export {
  type ExternalDatabaseOptions, VotingApp, type VotingAppImages, type VotingAppProps, type VotingAppReplicas, type VotingAppResources,
} from './voting-app';
export { VotingAppChart, type VotingAppChartProps } from './voting-app-chart';
export { type FleetTenant, VotingAppFleet, type VotingAppFleetProps } from './voting-app-fleet';
export { Profile } from './profile';
