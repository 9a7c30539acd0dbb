// The harness, as suites use it.
export { useTestDatabase, type TestDatabase } from './test-database.ts';
export { useTestRedis, type TestRedis } from './test-redis.ts';
export { QueryLog, logQueries, type CountedCall, type LoggedQuery } from './query-log.ts';
export { columnsRead, explain, rowsRead, planNodes, tableColumnsRead, type PlanNode } from './plans.ts';
export { sqlStatements } from './sql.ts';
export { startServer, type StartedServer } from './server.ts';
export { get, getBytes, type PlainResponse, type BytesResponse } from './http.ts';
export { eventLoopDelayDuring, settledHeapMb, heapGrowthMb, settledMemoryMb, type LoopDelay } from './measure.ts';
export { runLoad, type LoadOptions, type LoadResult } from './load.ts';
export { lessonHint, suiteSection } from './messages.ts';
export { busyConnectionsOf, connectPatiently, connectionsOf, returnedClients, terminateConnectionsOf, unexpectedCrashes } from './pool-observation.ts';
export { startRelay, type Relay } from './relay.ts';
export { useChildProcesses, type StartedChild, type ChildOptions, type Exit } from './children.ts';
export { processRunning } from './processes.ts';
export { watchCommands, type CommandWatch } from './redis-commands.ts';
export { refusedPort } from './refused-port.ts';
export { judged } from './judged.ts';
export { pollUntil, waitUntil } from './polling.ts';
