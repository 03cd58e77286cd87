/**
 * Each run of a workflow, newest first (continue-as-new followed back to the first run), with its
 * events and its history's size as Temporal encodes it. Read over a connection of its own that takes
 * messages larger than gRPC's default 4 MiB: a run's whole history may come as one message.
 */
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export interface RunHistory {
  runId: string;
  events: number;
  bytes: number;
}

export async function runHistories(address: string, namespace: string, workflowId: string): Promise<RunHistory[]> {
  const connection = await Connection.connect({
    address,
    channelArgs: { 'grpc.max_receive_message_length': 64 * 1024 * 1024 },
  });
  try {
    const client = new Client({ connection, namespace });
    const runs: RunHistory[] = [];
    let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
    while (runId) {
      const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
      runs.push({ runId, events: history.events?.length ?? 0, bytes: historyBytes(history.events ?? []) });
      runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    }
    return runs;
  } finally {
    await connection.close();
  }
}

/** The bytes of these events as one history message. */
export function historyBytes(events: temporal.api.history.v1.IHistoryEvent[]): number {
  return temporal.api.history.v1.History.encode({ events }).finish().length;
}
