import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { tracingEnabled } from '@tenderflow/telemetry/tracing';
import { clientOptions, temporalAccess, type TemporalAccess } from '@tenderflow/temporal-common/connection-options';
import { AppConfigService } from '../config/config.module';

/** The only place the API creates a Temporal client. Connected on module init, closed on shutdown. */
@Injectable()
export class TemporalService implements OnModuleInit, OnApplicationShutdown {
  private connection?: Connection;
  private access?: TemporalAccess;
  private _client?: Client;
  private readonly logger = new Logger(TemporalService.name);

  constructor(private readonly config: AppConfigService) {}

  async onModuleInit(): Promise<void> {
    // TLS and this identity's token (renewed in the background) for a secured frontend (README, "Temporal in production").
    this.access = await temporalAccess(this.config.values, (line) => this.logger.warn(line));
    this.connection = await Connection.connect(clientOptions(this.access));
    this._client = new Client({
      connection: this.connection,
      namespace: this.config.values.temporal.namespace,
      // With tracing on, each start, update and query is a span whose context travels to the
      // workflow in Temporal's headers.
      ...(tracingEnabled() ? { interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } } : {}),
    });
  }

  get client(): Client {
    if (!this._client) throw new Error('Temporal client used before the module was initialised');
    return this._client;
  }

  get taskQueue(): string {
    return this.config.values.temporal.taskQueue;
  }

  /** For readiness: the frontend answers a cheap call. */
  async ping(): Promise<void> {
    await this.connection!.workflowService.getSystemInfo({});
  }

  async onApplicationShutdown(): Promise<void> {
    this.access?.credentials?.stop();
    await this.connection?.close();
  }
}
