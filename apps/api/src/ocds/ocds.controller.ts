import { Controller, Get, Header, HttpException, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { notFound } from '../common/problem';
import { AppConfigService } from '../config/config.module';
import { TendersService } from '../tenders/tenders.service';
import type { ContractState, Milestone } from '@tenderflow/temporal-common/contract-types';
import type { TenderState } from '@tenderflow/temporal-common/tender-types';
import { ContractsService } from '../contracts/contracts.service';
import { ReferenceService } from '../reference/reference.service';
import { classify } from '@tenderflow/domain/classification';
import { stockholmDate } from '@tenderflow/domain/dates';
import {
  isExportable,
  lastChange,
  MilestoneInput,
  MilestoneType,
  OcdsReleasePackage,
  toReleasePackage,
} from './ocds.mapper';
import { TenderIdParam } from '../common/params';
import { AuditService } from '../audit/audit.service';
import type { DirectAwardDocumentation } from '@tenderflow/domain/direct-award';

/** The one 404 of the public export: for a missing tender and for one not yet published. */
function noRelease(id: string) {
  return notFound(`No public OCDS release exists for tender ${id}`);
}

/** The publisher named in every package: the system that publishes the region's procurement data. */
export const OCDS_PUBLISHER_NAME = 'Tenderflow';

@ApiTags('ocds')
@Controller('tenders/:id/ocds')
@Public()
export class OcdsController {
  constructor(
    private readonly tenders: TendersService,
    private readonly config: AppConfigService,
    private readonly contracts: ContractsService,
    private readonly reference: ReferenceService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary: 'OCDS 1.1 release package of a tender (public, no token)',
    description:
      'Public fields only: buyers, procedure, periods, values, lots, tenderers (after the award decision), awards, the contract and its ' +
      'follow-up milestones; the approved requirements register (criteria, award criteria at the lots, contract terms, sustainability) and, ' +
      'after the award decision, the tenders as bids with their prices and their assessment as status. ' +
      'A tender is exported from its publication on; a direct award from its registered contract.',
  })
  @ApiOkResponse({ description: 'An OCDS 1.1 release package with one release' })
  @ApiBadRequestResponse({ description: 'Not a tender id' })
  @ApiNotFoundResponse({
    description: 'No public release: no such tender, or not published yet (the same answer for both)',
  })
  async get(@Param('id', TenderIdParam) id: string): Promise<OcdsReleasePackage> {
    // A tender in internal preparation is not public: it answers exactly like a missing one, and
    // says nothing of its phase.
    // No question texts (the state has none): the release publishes that there were enquiries, not what they said.
    const state = await this.tenders.state(id).catch((err: unknown) => {
      throw err instanceof HttpException && err.getStatus() === 404 ? noRelease(id) : err;
    });
    if (!isExportable(state)) throw noRelease(id);
    const { ocds, http } = this.config.values;
    const followUp = state.followUp
      ? await this.contracts.state(state.followUp.contractId).catch(() => undefined)
      : undefined;
    const current = followUp ? withCurrentPeriod(state, followUp) : state;
    return toReleasePackage(current, {
      prefix: ocds.prefix,
      publisherName: OCDS_PUBLISHER_NAME,
      publishedDate: lastChange(current),
      baseUrl: http.publicBaseUrl,
      ...(followUp ? { milestones: followUp.milestones.map(toMilestoneInput) } : {}),
      ...(followUp?.changes?.length ? { changes: followUp.changes } : {}),
      ...(state.regime === 'direct' ? { directAwardLimitSek: await this.directAwardLimit(state) } : {}),
      ...(state.withoutNoticeGround ? { withoutNoticeGround: state.withoutNoticeGround } : {}),
      ...(state.regime === 'direct' && state.contract ? await this.directAwardRecord(id) : {}),
      // The register as the approved documents state it: a draft register (an ex-ante notice can make a tender public in its documents phase) is not.
      ...(state.requirements?.length && (state.documents?.approved || state.publication)
        ? { requirements: await this.tenders.requirementsOf(id) }
        : {}),
    });
  }

  /** A direct award's documentation as the chain recorded it (19 a kap. 11 § LOU), once it is made. */
  private async directAwardRecord(id: string): Promise<{ directAwardRecord?: DirectAwardDocumentation }> {
    const events = await this.audit.cited(id, { types: ['contract.direct_award_documented'], last: [], every: [] });
    const documented = [...events].reverse().find((e) => e.type === 'contract.direct_award_documented');
    const record = (documented?.payload as { record?: DirectAwardDocumentation } | undefined)?.record;
    return record ? { directAwardRecord: record } : {};
  }

  /** The direct-award limit under the rules in force when the tender started (it keeps its rule set). */
  private async directAwardLimit(state: TenderState): Promise<number | null> {
    const rows = await this.reference.rows();
    return classify({
      contractType: state.contractType,
      valueSek: state.estimatedValueSek,
      date: stockholmDate(state.createdAt),
      rows,
    }).directAwardLimitSekUsed;
  }
}

const MILESTONE_TYPES: Record<Milestone['kind'], MilestoneType> = {
  startup_meeting: 'engagement',
  periodic_review: 'assessment',
  labour_conditions_check: 'assessment',
  sustainability_check: 'assessment',
  extension_decision: 'approval',
  reprocurement_start: 'preProcurement',
  post_award_notice: 'reporting',
  documentation: 'reporting',
  corrective_action: 'delivery',
  planned_follow_up: 'assessment',
  control: 'assessment',
  modification_notice: 'reporting',
  sanction_decision: 'approval',
};

/** Public fields only: the note, the owner and who completed it stay internal. */
export function toMilestoneInput(m: Milestone): MilestoneInput {
  const status =
    m.status === 'done'
      ? m.completion?.outcome === 'deviation'
        ? 'partiallyMet'
        : 'met'
      : m.status === 'scheduled'
        ? 'scheduled'
        : 'notMet';
  return {
    id: m.id,
    title: m.title,
    type: MILESTONE_TYPES[m.kind],
    dueDate: m.dueDate,
    status,
    ...(m.completion ? { dateMet: m.completion.at } : {}),
  };
}

/** The contract as its follow-up has it now: an extension moved the end; the options left bound the maximum extent. */
function withCurrentPeriod(state: TenderState, c: ContractState): TenderState {
  if (!state.contract) return state;
  return {
    ...state,
    contract: {
      ...state.contract,
      endDate: c.endDate,
      options:
        c.optionMonthsRemaining > 0 ? [{ description: 'remaining options', months: c.optionMonthsRemaining }] : [],
    },
  };
}
