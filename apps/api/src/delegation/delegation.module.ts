import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module';
import { DelegationRegisterController } from './delegation-register.controller';
import { DelegationRegisterService } from './delegation-register.service';

/** The register of delegation decisions (issue 29 part 4). */
@Module({
  imports: [OrganizationsModule],
  controllers: [DelegationRegisterController],
  providers: [DelegationRegisterService],
})
export class DelegationModule {}
