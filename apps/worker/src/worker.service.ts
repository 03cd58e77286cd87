import { join } from 'node:path';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/worker';
import { DataSource } from 'typeorm';
import { clientOptions, temporalAccess, type TemporalAccess } from '@tenderflow/temporal-common/connection-options';
import { ensureSearchAttributes } from '@tenderflow/temporal-common/register-search-attributes';
import { Client, Connection } from '@temporalio/client';
import { ensureReconcilerSchedule, RECONCILER_SCHEDULE_ID } from '@tenderflow/temporal-common/reconciler';
import { prebuiltWorkflowBundle, WORKFLOW_BUNDLE_ENV } from '@tenderflow/temporal-common/workflow-bundle';
import { createActivities } from '@tenderflow/activities';
import { tracingPipeline } from '@tenderflow/telemetry/tracing';
import { WorkerConfigService } from './worker-config';
import { commandAuthSinks } from './security/command-auth.sinks';

/**
 * Runs the Temporal worker: workflows from the bundle, activities built from injected
 * dependencies. Started after the application context is ready; drained on shutdown.
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerService.name);
  private worker?: Worker;
  private connection?: NativeConnection;
  /** A client connection for the worker's own calls: search attributes, the reconciler's schedule and reads. */
  private clientConnection?: Connection;
  private access?: TemporalAccess;
  private client?: Client;
  private running?: Promise<void>;

  constructor(
    private readonly config: WorkerConfigService,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { namespace, taskQueue } = this.config.values.temporal;
    // TLS and this identity's token (renewed in the background) for a secured frontend (README, "Temporal in production").
    this.access = await temporalAccess(this.config.values, (line) => this.logger.warn(line));
    const { address } = this.access.options;
    this.clientConnection = await Connection.connect(clientOptions(this.access));
    this.client = new Client({ connection: this.clientConnection, namespace });
    try {
      const added = await ensureSearchAttributes(this.clientConnection, namespace);
      if (added.length) this.logger.log(`registered search attributes ${added.join(', ')}`);
    } catch (err) {
      // PERMISSION_DENIED: behind an authorizer the worker's identity may write workflows but not use
      // the operator service; an administrator registers the search attributes (README, "Temporal in production").
      if ((err as { code?: number }).code !== 7) throw err;
      this.logger.warn(
        `search attributes not checked: this identity may not use Temporal's operator service (${(err as Error).message})`,
      );
    }
    const every = this.config.values.worker.reconcileIntervalSeconds;
    if (await ensureReconcilerSchedule(this.client, taskQueue, every)) {
      this.logger.log(`reconciler schedule ${RECONCILER_SCHEDULE_ID}: every ${every} s`);
    } else {
      this.logger.warn(
        `this Temporal server has no Schedules (the time-skipping test server): the reconciler ${RECONCILER_SCHEDULE_ID} does not run`,
      );
    }
    const credentials = this.access.credentials;
    const first = credentials?.current();
    const connection = await NativeConnection.connect({ ...this.access.options, ...(first ? { apiKey: first } : {}) });
    this.connection = connection;
    if (credentials) {
      credentials.onRenew((token) => connection.setApiKey(token));
      // A token renewed while the connection was being made.
      if (credentials.current() !== first) await connection.setApiKey(credentials.current());
    }
    this.worker = await Worker.create({
      connection: this.connection,
      namespace,
      taskQueue,
      ...workflowCode(this.logger),
      activities: createActivities({
        dataSource: this.dataSource,
        temporal: () => this.client!,
        outbox: { publicBaseUrl: this.config.values.http.publicBaseUrl, from: this.config.values.notifications.from },
      }),
      sinks: commandAuthSinks(this.dataSource),
      shutdownGraceTime: '10 seconds',
      // Bounded sticky cache: a tender evicted from it is rebuilt by replay when it next has work.
      maxCachedWorkflows: this.config.values.worker.maxCachedWorkflows,
      ...tracingOptions(),
    });
    this.running = this.worker.run();
    this.running.catch((err) => {
      this.logger.error(err, 'worker stopped with an error');
      process.exitCode = 1;
    });
    this.logger.log(`worker polling ${taskQueue} on ${address} (${namespace})`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    this.access?.credentials?.stop();
    await this.connection?.close();
    await this.clientConnection?.close();
  }
}

/**
 * The workflow code: from dist/, the bundle `npm run build` made (scripts/bundle-workflows.js), so
 * the worker runs no bundler at start-up (seconds, and ~150 MiB of resident memory it never gives
 * back); from the file WORKFLOW_BUNDLE names (a test run bundles once for all its suites); from
 * the sources (ts-node) or with tracing on (its interceptor modules go into the bundle), bundled
 * here at start-up.
 */
function workflowCode(logger: Logger): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const workflowsPath = require.resolve('../../../workflows');
  if (tracingPipeline()) return { workflowsPath };
  const named = process.env[WORKFLOW_BUNDLE_ENV];
  if (named) {
    logger.log(`workflow code from ${named} (${WORKFLOW_BUNDLE_ENV})`);
    return { workflowBundle: { codePath: named } };
  }
  const prebuilt = prebuiltWorkflowBundle(join(__dirname, '..', '..', '..'));
  if ('codePath' in prebuilt) {
    logger.log(`workflow code from ${prebuilt.codePath}`);
    return { workflowBundle: { codePath: prebuilt.codePath } };
  }
  if (workflowsPath.endsWith('.js')) logger.warn(`bundling the workflow code at start: ${prebuilt.reason}`);
  return { workflowsPath };
}

/**
 * With tracing on: spans for workflow runs, updates and scheduled activities (workflow interceptors,
 * exported through the `exporter` sink) and for each activity execution, whose SQL spans nest
 * under it. Without, the worker runs exactly as before.
 */
function tracingOptions(): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  const pipeline = tracingPipeline();
  if (!pipeline) return {};
  return {
    interceptors: {
      workflowModules: [require.resolve('../../../workflows/tracing-interceptors')],
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(pipeline.processor, pipeline.resource) },
  };
}
