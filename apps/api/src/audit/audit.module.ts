import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';
import { SecurityLogService } from './security-log.service';

@Global()
@Module({ providers: [AuditService, SecurityLogService], exports: [AuditService, SecurityLogService] })
export class AuditModule {}
