import { Logger } from '@nestjs/common';
import type { InjectedSinks } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { insertSecurityEvent, pruneSecurityLog } from '@tenderflow/db/security-log';
import type { CommandAuthSinks } from '@tenderflow/workflows/shared/command-auth.messages';

/**
 * Where a workflow's validator reports a command it refused for its signature (unsigned, forged,
 * replayed, expired): the security log. Only the worker sees an Update sent to Temporal past the API.
 * Best effort, like the API's writer: a refusal stands whether or not it could be logged.
 */
export function commandAuthSinks(dataSource: DataSource): InjectedSinks<CommandAuthSinks> {
  const logger = new Logger('SecurityLog');
  let writes = 0;
  return {
    commandAuth: {
      refused: {
        // Validators never run on replay; a retried workflow task may report twice, which a log can bear.
        callDuringReplay: false,
        async fn(info, notice) {
          const claimed = notice.claimedActor;
          try {
            await insertSecurityEvent(dataSource, {
              kind: 'bad_signature',
              actor: claimed
                ? {
                    sub: typeof claimed.sub === 'string' ? claimed.sub : null,
                    org: typeof claimed.org === 'string' ? claimed.org : null,
                  }
                : null,
              method: 'UPDATE',
              route: `temporal:${info.workflowId}/${notice.command}${notice.updateId ? `#${notice.updateId}` : ''}`,
              status: 403,
              reason: `${notice.rule}: ${notice.reason} (the actor is as claimed, not vouched for)`,
              payload: notice.payload,
            });
            if (++writes % 100 === 0) await pruneSecurityLog(dataSource);
          } catch (err) {
            logger.error(
              { err, workflowId: info.workflowId, command: notice.command },
              'Could not write a refused command to the security log',
            );
          }
        },
      },
    },
  };
}
