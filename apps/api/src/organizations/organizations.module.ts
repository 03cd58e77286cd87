import { Module } from '@nestjs/common';
import { DelegationOrderController } from './delegation-order.controller';
import { DelegationOrderService } from './delegation-order.service';
import { OrganizationsController } from './organizations.controller';
import { PolicyChain } from './policy-chain';
import { PolicyService } from './policy.service';

@Module({
  controllers: [OrganizationsController, DelegationOrderController],
  providers: [PolicyService, PolicyChain, DelegationOrderService],
  exports: [PolicyService, PolicyChain],
})
export class OrganizationsModule {}
