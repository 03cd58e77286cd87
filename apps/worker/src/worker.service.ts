import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/worker';
import { DataSource } from 'typeorm';
import { temporalAddress } from '../../../libs/config/src';
import { ensureSearchAttributes } from '../../../libs/temporal-common/src/register-search-attributes';
import { Connection } from '@temporalio/client';
import { createActivities } from '../../../activities';
import { tracingPipeline } from '../../../libs/telemetry/src/tracing';
import { WorkerConfigService } from './worker-config';

/**
 * Runs the Temporal worker: workflows from the bundle, activities built from injected
 * dependencies. Started after the application context is ready; drained on shutdown.
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerService.name);
  private worker?: Worker;
  private connection?: NativeConnection;
  private running?: Promise<void>;

  constructor(
    private readonly config: WorkerConfigService,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { namespace, taskQueue } = this.config.values.temporal;
    const address = temporalAddress(this.config.values);
    const admin = await Connection.connect({ address });
    try {
      const added = await ensureSearchAttributes(admin, namespace);
      if (added.length) this.logger.log(`registered search attributes ${added.join(', ')}`);
    } finally {
      await admin.close();
    }
    this.connection = await NativeConnection.connect({ address });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace,
      taskQueue,
      workflowsPath: require.resolve('../../../workflows'),
      activities: createActivities({ dataSource: this.dataSource }),
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
    await this.connection?.close();
  }
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
      activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
    },
    sinks: { exporter: makeWorkflowExporter(pipeline.processor, pipeline.resource) },
  };
}
