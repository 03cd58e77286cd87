import { loadConfig } from '../../../libs/config/src';

export class WorkerConfigService {
  constructor(readonly values: ReturnType<typeof loadConfig>) {}
}
