import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import type { Actor } from '../../../../libs/domain/src/types';
import { CurrentActor, Roles } from '../auth/auth.decorators';

export class ApprovalsQuery {
  @ApiPropertyOptional({ enum: ['pending', 'decided'], default: 'pending' })
  @IsOptional()
  @IsIn(['pending', 'decided'])
  status?: 'pending' | 'decided';
}

/**
 * The approver's inbox: only the gates the caller may decide (their organisation, their approval
 * limit, not requested by them, not a tender they evaluate). The workflow checks the same again.
 */
@ApiTags('approvals')
@ApiBearerAuth()
@Controller('approvals')
export class ApprovalsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Roles('approver')
  @ApiOkResponse({ description: 'Gates waiting for the caller, oldest first; or the gates the caller decided' })
  async inbox(@CurrentActor() actor: Actor, @Query() q: ApprovalsQuery) {
    if ((q.status ?? 'pending') === 'decided') {
      const rows: { id: string; title: string; d: { gate: string; decision: string; at: string } }[] = await this.dataSource.query(
        `SELECT t.id, t.title, d AS d FROM tenders t, jsonb_array_elements(t.gate_decisions) d
         WHERE t.organization = $1 AND d->>'decidedBy' = $2 ORDER BY d->>'at' DESC LIMIT 200`,
        [actor.org, actor.sub],
      );
      return { items: rows.map((r) => ({ tenderId: r.id, title: r.title, gate: r.d.gate, decision: r.d.decision, decidedAt: r.d.at })) };
    }
    if (!actor.roles.includes('approver')) return { items: [] };
    const rows: {
      tender_id: string; gate: string; since: Date; requested_by_sub: string; requested_by_name: string; may_decide: string;
      reason: string | null; title: string; category: string; estimated_value_sek: string; phase: string;
    }[] = await this.dataSource.query(
      `SELECT g.*, t.title, t.category, t.estimated_value_sek, t.phase
       FROM pending_gates g JOIN tenders t ON t.id = g.tender_id
       WHERE g.organization = $1 AND g.role = 'approver' AND g.min_approval_limit_sek <= $2
         AND NOT ($3 = ANY (g.excluded)) AND g.requested_by_sub <> $3
       ORDER BY g.since, g.tender_id LIMIT 500`,
      [actor.org, actor.approvalLimitSek ?? 0, actor.sub],
    );
    return {
      items: rows.map((r) => ({
        tenderId: r.tender_id,
        title: r.title,
        category: r.category,
        phase: r.phase,
        estimatedValueSek: Number(r.estimated_value_sek),
        gate: r.gate,
        requestedBy: { sub: r.requested_by_sub, name: r.requested_by_name },
        since: r.since.toISOString(),
        mayDecide: r.may_decide,
        reason: r.reason,
        decide: `/tenders/${r.tender_id}/gates/${r.gate}/decision`,
      })),
    };
  }
}
