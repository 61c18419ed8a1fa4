// Docker's voting app, built from the building blocks of ../core.
export { type ComponentProps } from './component';
export { Vote, type VoteProps } from './vote';
export { Result, type ResultProps } from './result';
export { Worker, type WorkerProps } from './worker';
export { Redis, type RedisProps } from './redis';
export { Postgres, type PostgresProps } from './postgres';
export {
  type ExternalDatabaseOptions, VotingApp, type VotingAppImages, type VotingAppProps, type VotingAppReplicas, type VotingAppResources,
} from './voting-app';
export { VotingAppChart, type VotingAppChartProps } from './voting-app-chart';
export { type FleetTenant, VotingAppFleet, type VotingAppFleetProps } from './voting-app-fleet';
export { Profile, PRODUCTION_DB_SECRET } from './profile';
