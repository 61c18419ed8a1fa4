// Docker's voting app, built from the building blocks of ../core.
export { type ComponentProps } from './component';
export { type BallotOptions, Vote, type VoteProps } from './vote';
export { Result, type ResultProps } from './result';
export { Worker } from './worker';
export { Redis } from './redis';
export { Postgres, type PostgresProps } from './postgres';
export {
  type ExternalDatabaseOptions, VotingApp, type VotingAppImages, type VotingAppProps, type VotingAppReplicas, type VotingAppResources,
} from './voting-app';
export { VotingAppChart, type VotingAppChartProps } from './voting-app-chart';
export { type FleetTenant, VotingAppFleet, type VotingAppFleetProps } from './voting-app-fleet';
export { Profile } from './profile';
