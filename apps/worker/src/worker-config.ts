import { loadConfig } from '@tenderflow/config';

export class WorkerConfigService {
  constructor(readonly values: ReturnType<typeof loadConfig>) {}
}
